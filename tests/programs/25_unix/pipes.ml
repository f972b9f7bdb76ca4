(* Deterministic uses of the unix library. *)
let pipe_roundtrip msg =
  let r, w = Unix.pipe () in
  let n = Unix.write_substring w msg 0 (String.length msg) in
  Unix.close w;
  let buf = Bytes.create 256 in
  let got = Unix.read r buf 0 256 in
  Unix.close r;
  (n, Bytes.sub_string buf 0 got)

let describe_error f =
  match f () with
  | _ -> "no error"
  | exception Unix.Unix_error (e, fn, arg) -> Printf.sprintf "%s in %s(%s)" (Unix.error_message e) fn arg
