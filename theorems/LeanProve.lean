-- The root of the LeanProve library: importing it builds every file.
import LeanProve.Basic
import LeanProve.Format
import LeanProve.Bounds
import LeanProve.Quant
import LeanProve.Layers
import LeanProve.Model
