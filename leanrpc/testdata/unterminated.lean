import Init

theorem t : True := by
  /- an unterminated comment
  trivial
