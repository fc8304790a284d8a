namespace A

theorem t : True := trivial

end B
