(* A weak-keyed cache with Ephemeron and a weak array. *)
module K = struct
  type t = string
  let equal = String.equal
  let hash = Hashtbl.hash
end

module EH = Ephemeron.K1.Make (K)

let cache : int EH.t = EH.create 16

let lookup key compute =
  match EH.find_opt cache key with
  | Some v -> (v, true)
  | None ->
      let v = compute key in
      EH.replace cache key v;
      (v, false)

let weak_arr : string Weak.t = Weak.create 64

let fill_weak keep =
  for i = 0 to 63 do
    let s = String.init 8 (fun k -> Char.chr (97 + ((i + k) mod 26))) in
    Weak.set weak_arr i (Some s);
    if i mod 4 = 0 then keep := s :: !keep
  done

let count_weak () =
  let n = ref 0 in
  for i = 0 to Weak.length weak_arr - 1 do if Weak.check weak_arr i then incr n done;
  !n
