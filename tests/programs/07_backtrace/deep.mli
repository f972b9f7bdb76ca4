exception Boom of int

val level1 : int -> int
val reraiser : int -> int
val notrace : int -> int
val countdown : int -> int
