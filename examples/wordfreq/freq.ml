(* Word frequencies with a functor-built map, sorted by a tuplified
   comparison, and a few partial applications. *)
module SMap = Map.Make (String)

let count words =
  List.fold_left
    (fun m w -> SMap.update w (function None -> Some 1 | Some n -> Some (n + 1)) m)
    SMap.empty words

let by_count (w1, n1) (w2, n2) = if n1 <> n2 then compare n2 n1 else compare w1 w2

let top k m =
  let l = List.sort by_count (SMap.bindings m) in
  List.filteri (fun i _ -> i < k) l

let show ~width (w, n) = Printf.sprintf "%-*s %s" width w (String.make n '*')
