let () =
  Printexc.record_backtrace true;
  Printf.printf "backtrace status: %b\n" (Printexc.backtrace_status ());
  (match Deep.level1 0 with
   | v -> Printf.printf "level1 0 = %d\n" v
   | exception e -> Printf.printf "unexpected %s\n" (Printexc.to_string e));
  (match Deep.level1 5 with
   | v -> Printf.printf "level1 5 = %d\n" v
   | exception e ->
       let bt = Printexc.get_raw_backtrace () in
       Printf.printf "caught %s\n" (Printexc.to_string e);
       Printf.printf "slots: %s\n" (Trace.slots_summary bt);
       Trace.show_backtrace "level1" (Printexc.raw_backtrace_to_string bt));
  (try ignore (Deep.reraiser 7)
   with e ->
     Printf.printf "caught %s\n" (Printexc.to_string e);
     Trace.show_backtrace "reraiser" (Printexc.get_backtrace ()));
  (try ignore (Deep.notrace 1) with Exit -> print_endline "notrace: caught Exit");
  (try ignore (Deep.countdown 50)
   with Failure m ->
     let bt = Printexc.get_raw_backtrace () in
     Printf.printf "countdown failure %s, %s\n" m (Trace.slots_summary bt));
  (try ignore (List.assoc 3 [ (1, "a") ])
   with Not_found ->
     prerr_endline "print_backtrace of Not_found on stderr:";
     Printexc.print_backtrace stderr);
  (try Printexc.raise_with_backtrace (Failure "with bt") (Printexc.get_callstack 5)
   with Failure m -> Printf.printf "raise_with_backtrace: %s\n" m);
  print_endline "now raising through three levels, uncaught";
  flush stdout;
  ignore (Deep.level1 10)
