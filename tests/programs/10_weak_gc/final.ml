(* Finalisers: only order-independent results are printed. *)
let finalised = ref 0
let finalised_sum = ref 0
let last_finalised : int list ref = ref []

type res = { id : int; payload : int array }

let make id =
  let r = { id; payload = Array.make 4 id } in
  Gc.finalise (fun r -> incr finalised; finalised_sum := !finalised_sum + r.id) r;
  r

let make_last id =
  let r = ref id in
  Gc.finalise_last (fun () -> last_finalised := id :: !last_finalised) r;
  r
