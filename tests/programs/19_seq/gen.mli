val naturals : int -> int Seq.t
val take : int -> 'a Seq.t -> 'a Seq.t
val take_while : ('a -> bool) -> 'a Seq.t -> 'a Seq.t
val collatz : int -> int Seq.t
val chars : string -> char Seq.t
val zip : 'a Seq.t -> 'b Seq.t -> ('a * 'b) Seq.t
