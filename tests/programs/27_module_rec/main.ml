let () =
  let open Tree in
  let t = T.make "root" [ T.make "b" [ T.make "b1" []; T.make "b2" [] ]; T.make "a" [ T.make "a1" [ T.make "a11" [] ] ]; T.make "c" [] ] in
  Printf.printf "tree %s size %d\n" (T.to_string t) (T.size t);
  let env = Hashtbl.create 8 in
  let prog = Expr.Block ([ Stmt.Assign ("x", Expr.Lit 5); Stmt.Print (Expr.Lit 1);
                           Stmt.Repeat (3, [ Stmt.Print (Expr.Plus (Expr.Lit 10, Expr.Lit 20)) ]);
                           Stmt.Assign ("y", Expr.Block ([ Stmt.Print (Expr.Lit 99) ], Expr.Lit 7)) ],
                         Expr.Plus (Expr.Lit 100, Expr.Lit 23)) in
  Printf.printf "block result %d\n" (Expr.eval env prog);
  Printf.printf "env: %s\n" (String.concat " " (List.sort compare (Hashtbl.fold (fun k v acc -> Printf.sprintf "%s=%d" k v :: acc) env [])));
  let show = function Ok v -> "ok " ^ string_of_int v | Error e -> "error: " ^ e in
  List.iter (fun (n, a) -> Printf.printf "%s -> %s\n" n (show (Dispatch.call n a)))
    [ ("add", [ 1; 2 ]); ("neg", [ 5 ]); ("sum", [ 1; 2; 3; 4; 5 ]); ("max3", [ 4; 9; 2 ]); ("tick", []); ("tick", []);
      ("add", [ 1 ]); ("mul", [ 2; 3 ]) ];
  Printf.printf "fact_cps 20 = %d\n" (Dispatch.fact_cps 20 Fun.id);
  Printf.printf "fib_cps 22 = %d\n" (Dispatch.fib_cps 22 Fun.id);
  Printf.printf "fact_cps 10000 mod = %d\n" (Dispatch.fact_cps 10000 (fun r -> r land 0xffff));
  Printexc.set_uncaught_exception_handler (fun e bt ->
    ignore bt;
    Printf.eprintf "custom uncaught handler: %s\n" (Printexc.to_string e);
    flush stderr);
  print_endline "invoking a handler with wrong arguments, uncaught";
  let h = Hashtbl.find Dispatch.table "max3" in
  ignore (h.Dispatch.run [ 1 ])
