let with_temp_dir f =
  let dir = Filename.concat (Filename.get_temp_dir_name ()) (Printf.sprintf "camlsym-unix-%d" (Unix.getpid ())) in
  Unix.mkdir dir 0o755;
  Fun.protect ~finally:(fun () ->
    Array.iter (fun n -> Sys.remove (Filename.concat dir n)) (Sys.readdir dir);
    Unix.rmdir dir)
    (fun () -> f dir)

let write_file path contents =
  let fd = Unix.openfile path [ Unix.O_WRONLY; Unix.O_CREAT; Unix.O_TRUNC ] 0o644 in
  let n = Unix.write_substring fd contents 0 (String.length contents) in
  Unix.close fd;
  n

let read_file path =
  let ic = open_in_bin path in
  let s = really_input_string ic (in_channel_length ic) in
  close_in ic;
  s
