open Raisers
open Report

let () =
  let tests =
    [ ("out_of_memory", fun () -> out_of_memory ());
      ("stack_overflow", fun () -> stack_overflow ());
      ("sys_error", fun () -> close_in (sys_error ()); "opened?");
      ("failure", failure);
      ("invalid_argument List.nth", fun () -> string_of_int (invalid_argument ()));
      ("invalid_argument String.sub", invalid_argument2);
      ("end_of_file", end_of_file);
      ("division_by_zero", division_by_zero);
      ("modulo_by_zero", modulo_by_zero);
      ("not_found assoc", not_found);
      ("not_found hashtbl", not_found2);
      ("match ok", fun () -> match_failure Red);
      ("match_failure", fun () -> match_failure Blue);
      ("sys_blocked_io", sys_blocked_io);
      ("assert_failure", assert_failure);
      ("undefined_recursive_module", undefined_recursive_module);
      ("array bounds", array_bounds);
      ("char_of_int", char_of_int_bad);
      ("int_of_string", int_of_string_bad);
      ("custom", fun () -> raise (Custom ("abc", 42)));
      ("wrapped", fun () -> raise (Wrapped Not_found));
      ("nested handlers", fun () ->
         try
           try failwith "inner" with Failure m -> raise (Wrapped (Failure (m ^ "+outer")))
         with Wrapped (Failure m) -> "caught " ^ m);
      ("fun protect", fun () ->
         let log = Buffer.create 16 in
         (try Fun.protect ~finally:(fun () -> Buffer.add_string log "finally;")
                (fun () -> Buffer.add_string log "body;"; raise Exit)
          with Exit -> Buffer.add_string log "exit");
         Buffer.contents log) ]
  in
  List.iter (fun (n, f) -> try_one n f) tests;
  let expected =
    [ "Out_of_memory"; "Stack_overflow"; "Sys_error"; "Failure"; "Invalid_argument";
      "End_of_file"; "Division_by_zero"; "Not_found"; "Match_failure"; "Sys_blocked_io";
      "Assert_failure"; "Undefined_recursive_module" ]
  in
  let missing = List.filter (fun e -> not (Hashtbl.mem seen e)) expected in
  Printf.printf "predefined exceptions seen: %d/12, missing: [%s]\n"
    (12 - List.length missing) (String.concat "; " missing);
  (* exceptions as values *)
  let exns = [ Not_found; Exit; Custom ("x", 1); Failure "f"; Invalid_argument "i" ] in
  List.iter (fun e -> Printf.printf "value: %s\n" (Printexc.to_string e)) exns;
  Printf.printf "exn equal: %b %b\n" (Custom ("x", 1) = Custom ("x", 1)) (Not_found = Exit);
  let counter = ref 0 in
  for i = 1 to 10000 do
    try if i mod 3 = 0 then raise Exit else incr counter with Exit -> counter := !counter + 2
  done;
  Printf.printf "loop with raise: %d\n" !counter;
  prerr_endline "exceptions: about to raise an uncaught exception";
  flush stdout;
  raise (Custom ("uncaught at the end", 7))
