(* Functors building on Map and Set. *)
module Make (O : Ordered.ORDERED) = struct
  module S = Set.Make (O)
  module M = Map.Make (O)

  let set_of_list l = List.fold_left (fun s x -> S.add x s) S.empty l
  let show_set s = "{" ^ String.concat ", " (List.map O.to_string (S.elements s)) ^ "}"

  let histogram l =
    List.fold_left (fun m x -> M.update x (function None -> Some 1 | Some n -> Some (n + 1)) m) M.empty l

  let show_map m =
    String.concat " " (List.map (fun (k, v) -> O.to_string k ^ ":" ^ string_of_int v) (M.bindings m))
end

module type MONOID = sig type t val empty : t val combine : t -> t -> t end

module Fold (M : MONOID) = struct
  let concat l = List.fold_left M.combine M.empty l
end

module Counter () = struct
  let n = ref 0
  let next () = incr n; !n
end

module Memo (H : Hashtbl.HashedType) = struct
  module T = Hashtbl.Make (H)
  let memo f =
    let t = T.create 16 in
    let rec g x = match T.find_opt t x with Some v -> v | None -> let v = f g x in T.add t x v; v in
    g
end
