let () =
  at_exit (fun () -> print_endline "at_exit: first registered, runs last"; flush stdout);
  at_exit (fun () -> prerr_endline "at_exit: second registered (stderr)");
  at_exit (fun () -> Printf.printf "at_exit: final summary printed\n")

let () =
  let alice = new Account.checking "alice" 1000 in
  let bob = new Account.savings "bob" 2000 5 in
  let carol = new Account.checking "carol" 50 in
  let all = [ (alice :> Account.account); (bob :> Account.account); (carol :> Account.account) ] in
  Ledger.attempt "alice->bob 300" (fun () -> Ledger.transfer alice bob 300);
  Ledger.attempt "bob->carol 400" (fun () -> Ledger.transfer bob carol 400);
  Ledger.attempt "bob->carol 600" (fun () -> Ledger.transfer bob carol 600);
  Ledger.attempt "carol->alice 1000" (fun () -> Ledger.transfer carol alice 1000);
  Ledger.attempt "interest" (fun () -> bob#add_interest);
  carol#freeze;
  Ledger.attempt "alice->carol 10" (fun () -> Ledger.transfer alice carol 10);
  for i = 1 to 20 do Ledger.attempt (Printf.sprintf "small %d" i) (fun () -> Ledger.transfer alice bob (i * 3)) done;
  Ledger.report all;
  let total = List.fold_left (fun acc a -> acc + a#balance) 0 all in
  Printf.printf "total money %d\n" total;
  Printf.eprintf "bank: exiting with %d\n" (total mod 100);
  exit (total mod 100)
