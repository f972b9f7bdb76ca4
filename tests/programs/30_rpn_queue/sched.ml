(* Round-robin scheduler with Queue, tasks as closures returning a status. *)
type status = Continue | Done of string

let run tasks =
  let q = Queue.create () in
  List.iter (fun t -> Queue.add t q) tasks;
  let log = Buffer.create 256 in
  let steps = ref 0 in
  while not (Queue.is_empty q) do
    let name, step = Queue.take q in
    incr steps;
    match step () with
    | Continue -> Queue.add (name, step) q
    | Done msg -> Printf.bprintf log "%s finished at step %d: %s\n" name !steps msg
  done;
  Buffer.contents log

let countdown name n =
  let k = ref n in
  (name, fun () -> if !k = 0 then Done (name ^ " reached zero") else (decr k; Continue))

let accumulate name items =
  let rest = ref items and acc = ref 0 in
  (name, fun () -> match !rest with [] -> Done (Printf.sprintf "sum=%d" !acc) | x :: r -> acc := !acc + x; rest := r; Continue)
