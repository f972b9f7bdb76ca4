val f2 : int -> int -> int
val f3 : int -> int -> int -> int
val f4 : int -> int -> int -> int -> int
val f5 : int -> int -> int -> int -> int -> int
val f6 : int -> int -> int -> int -> int -> int -> int
val f7 : int -> int -> int -> int -> int -> int -> int -> int
val f8 : int -> int -> int -> int -> int -> int -> int -> int -> int
val adder2 : int -> int -> int -> int
val adder3 : int -> int -> int -> int -> int -> int
val str3 : string -> string -> string -> string
val mixf : int -> float -> char -> string -> string
