module type SHAPE = sig
  type t
  val make : float -> t
  val area : t -> float
  val name : string
end

module Square : SHAPE = struct type t = float let make x = x let area s = s *. s let name = "square" end
module Circle : SHAPE = struct type t = { r : float } let make r = { r } let area c = 3.14159 *. c.r *. c.r let name = "circle" end

(* existential packing: a shape with its value *)
type any_shape = Any : (module SHAPE with type t = 'a) * 'a -> any_shape

let pack (type a) (module S : SHAPE with type t = a) size = Any ((module S), S.make size)
let area (Any ((module S), v)) = S.area v
let name (Any ((module S), _)) = S.name

module type STACK = sig
  type 'a t
  val empty : 'a t
  val push : 'a -> 'a t -> 'a t
  val to_list : 'a t -> 'a list
end

let list_stack = (module struct
  type 'a t = 'a list
  let empty = []
  let push x s = x :: s
  let to_list s = s
end : STACK)

let use_stack (module St : STACK) l = St.to_list (List.fold_left (fun s x -> St.push x s) St.empty l)
