let () =
  ignore (Unix.umask 0o022);
  let n, back = Pipes.pipe_roundtrip "hello through a pipe" in
  Printf.printf "pipe: wrote %d, read %S\n" n back;
  print_endline (Pipes.describe_error (fun () -> Unix.stat "/nonexistent/camlsym"));
  print_endline (Pipes.describe_error (fun () -> Unix.rmdir "/nonexistent/camlsym"));
  print_endline (Pipes.describe_error (fun () -> let r, w = Unix.pipe () in Unix.close (Unix.dup r); Unix.close r; Unix.close w));
  let tm = Unix.gmtime 1_000_000_000. in
  Printf.printf "gmtime 1e9: %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n" (tm.Unix.tm_year + 1900) (tm.Unix.tm_mon + 1) tm.Unix.tm_mday
    tm.Unix.tm_hour tm.Unix.tm_min tm.Unix.tm_sec tm.Unix.tm_wday tm.Unix.tm_yday;
  let t, tm2 = Unix.mktime { tm with Unix.tm_mday = tm.Unix.tm_mday + 40 } in
  ignore t;
  Printf.printf "mktime normalises: month %d day %d\n" (tm2.Unix.tm_mon + 1) tm2.Unix.tm_mday;
  Files.with_temp_dir (fun dir ->
    let files = [ ("a.txt", "alpha\n"); ("b.txt", String.make 1000 'b'); ("c.bin", "\000\001\002") ] in
    List.iter (fun (name, c) -> Printf.printf "wrote %s: %d bytes\n" name (Files.write_file (Filename.concat dir name) c)) files;
    let names = List.sort compare (Array.to_list (Sys.readdir dir)) in
    Printf.printf "dir has: %s\n" (String.concat " " names);
    List.iter (fun name ->
      let st = Unix.stat (Filename.concat dir name) in
      Printf.printf "%s: size %d kind %s perm %o\n" name st.Unix.st_size (if st.Unix.st_kind = Unix.S_REG then "reg" else "other") (st.Unix.st_perm land 0o777))
      names;
    Printf.printf "read back a.txt: %S\n" (Files.read_file (Filename.concat dir "a.txt"));
    Unix.rename (Filename.concat dir "a.txt") (Filename.concat dir "z.txt");
    Printf.printf "after rename: %s\n" (String.concat " " (List.sort compare (Array.to_list (Sys.readdir dir))));
    Printf.printf "access z.txt: %b\n" (match Unix.access (Filename.concat dir "z.txt") [ Unix.R_OK ] with () -> true | exception _ -> false));
  Printf.printf "inet addr: %s\n" (Unix.string_of_inet_addr (Unix.inet_addr_of_string "127.0.0.1"));
  Printf.printf "getenv via unix: %b\n" (Array.length (Unix.environment ()) >= 0);
  prerr_endline "unix: raising Unix_error uncaught";
  ignore (Unix.opendir "/nonexistent/camlsym-dir")
