module type ORDERED = sig
  type t
  val compare : t -> t -> int
  val to_string : t -> string
end

module Int_ord = struct type t = int let compare = compare let to_string = string_of_int end
module String_ord = struct type t = string let compare = String.compare let to_string s = "\"" ^ s ^ "\"" end

module Pair (A : ORDERED) (B : ORDERED) : ORDERED with type t = A.t * B.t = struct
  type t = A.t * B.t
  let compare (a1, b1) (a2, b2) = match A.compare a1 a2 with 0 -> B.compare b1 b2 | c -> c
  let to_string (a, b) = "(" ^ A.to_string a ^ ", " ^ B.to_string b ^ ")"
end

module Rev (O : ORDERED) : ORDERED with type t = O.t = struct
  include O
  let compare a b = O.compare b a
end
