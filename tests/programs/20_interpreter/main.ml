let programs =
  [ "1 + 2 * 3";
    "let x = 5 in let y = x * x in y - x";
    "let rec fact n = if n < 2 then 1 else n * fact (n - 1) in fact 10";
    "let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2) in fib 18";
    "let compose = fun f -> fun g -> fun x -> f (g x) in compose (fun x -> x + 1) (fun x -> x * 2) 20";
    "let rec sum n = if n < 1 then 0 else n + sum (n - 1) in sum 5000";
    "let rec gcd a = fun b -> if b < 1 then a else gcd b (a % b) in gcd 1071 462";
    "let twice = fun f -> fun x -> f (f x) in twice twice (fun x -> x * 3) 1";
    "fun x -> x";
    "10 / (5 - 5)";
    "let f = 3 in f 4";
    "unknown + 1";
    "let x = in 3";
    "1 + $" ]

let () =
  let errors = ref 0 in
  List.iteri
    (fun i src ->
      Printf.printf "[%2d] %s\n" i src;
      match Parser.parse (Lexer.tokenize src) with
      | ast -> (
          Printf.printf "     ast: %s\n" (Ast.show ast);
          Eval.steps := 0;
          match Eval.eval [] ast with
          | v -> Printf.printf "     => %s  (%d steps)\n" (Eval.to_string v) !Eval.steps
          | exception Eval.Runtime_error m -> incr errors; Printf.printf "     runtime error: %s\n" m; Printf.eprintf "error in program %d: %s\n" i m
          | exception Division_by_zero -> incr errors; print_endline "     division by zero"; Printf.eprintf "error in program %d: division by zero\n" i)
      | exception Parser.Parse_error m -> incr errors; Printf.printf "     parse error: %s\n" m; Printf.eprintf "error in program %d: parse\n" i
      | exception Lexer.Lex_error (pos, c) -> incr errors; Printf.printf "     lex error at %d: %C\n" pos c; Printf.eprintf "error in program %d: lex\n" i)
    programs;
  Printf.printf "%d programs, %d errors\n" (List.length programs) !errors;
  if !errors > 0 then exit (10 + !errors)
