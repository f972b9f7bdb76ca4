module type ORDERED = sig
  type t
  val compare : t -> t -> int
  val to_string : t -> string
end

module Int_ord : ORDERED with type t = int
module String_ord : ORDERED with type t = string
module Pair (A : ORDERED) (B : ORDERED) : ORDERED with type t = A.t * B.t
module Rev (O : ORDERED) : ORDERED with type t = O.t
