open Expr

let () =
  let exprs_int =
    [ Add (Int 1, Mul (Int 2, Int 3));
      If (Lt (Int 3, Int 4), Int 10, Int 20);
      Fst (Pair (Add (Int 5, Int 5), Str "ignored"));
      Len (Concat (Str "hello, ", Show (Mul (Int 6, Int 7)))) ]
  in
  List.iter (fun e -> Printf.printf "%s = %d  (size %d)\n" (to_string e) (eval e) (size e)) exprs_int;
  let s = Concat (Str "n=", Show (If (Lt (Int 9, Int 2), Int 0, Add (Int 40, Int 2)))) in
  Printf.printf "%s = %S\n" (to_string s) (eval s);
  let p = Pair (Bool true, Pair (Int 1, Str "x")) in
  let b, (i, st) = eval p in
  Printf.printf "%s = (%b, (%d, %s))\n" (to_string p) b i st;
  (* build a big expression and evaluate it *)
  let rec big n = if n = 0 then Int 1 else Add (big (n - 1), If (Lt (Int n, Int 50), Int n, Mul (Int 2, Int 1))) in
  let e = big 2000 in
  Printf.printf "big expr: size %d value %d\n" (size e) (eval e);
  let open Witness in
  let dyns = [ Dyn (TInt, 42); Dyn (TString, "str"); Dyn (TList TInt, [ 1; 2; 3 ]);
               Dyn (TPair (TString, TList TString), ("k", [ "a"; "b" ])) ] in
  List.iter (fun (Dyn (t, v)) -> print_endline (show t v)) dyns;
  let ints = List.filter_map (cast TInt) dyns in
  let lists = List.filter_map (cast (TList TInt)) dyns in
  Printf.printf "casts: %d ints, %d int lists\n" (List.length ints) (List.length lists);
  let h = HCons (TInt, 1, HCons (TString, "two", HCons (TList TString, [ "three" ], HNil))) in
  let rec show_h : hlist -> string list = function HNil -> [] | HCons (t, v, r) -> show t v :: show_h r in
  Printf.printf "hlist: %s\n" (String.concat " | " (show_h h));
  prerr_endline "gadts: done";
  exit (List.length ints + 3)
