let () =
  List.iter (fun e ->
    match Rpn.eval e with
    | v -> Printf.printf "%-30s = %g\n" e v
    | exception Rpn.Stack_underflow w -> Printf.printf "%-30s : stack underflow at %s\n" e w
    | exception Rpn.Unknown_token t -> Printf.printf "%-30s : unknown token %s\n" e t)
    [ "1 2 +"; "3 4 * 5 -"; "2 10 ^"; "16 sqrt dup *"; "1 2 3 4 5 sum"; "5 1 2 + 4 * + 3 -"; "1 +"; "2 3 frob"; "9 4 swap /" ];
  print_string (Sched.run [ Sched.countdown "a" 3; Sched.accumulate "b" [ 1; 2; 3; 4; 5 ]; Sched.countdown "c" 1; Sched.accumulate "d" [] ]);
  let q = Queue.create () in
  for i = 1 to 10 do Queue.add (i * i) q done;
  Printf.printf "queue: len %d peek %d fold %d\n" (Queue.length q) (Queue.peek q) (Queue.fold ( + ) 0 q);
  let q2 = Queue.copy q in
  Queue.clear q;
  Printf.printf "copy survives clear: %d, original empty: %b\n" (Queue.length q2) (Queue.is_empty q);
  let st = Stack.of_seq (List.to_seq [ 'a'; 'b'; 'c' ]) in
  Printf.printf "stack top %c len %d\n" (Stack.top st) (Stack.length st);
  let r : (int, string) result list = [ Ok 1; Error "bad"; Ok 3 ] in
  List.iter (fun x -> print_endline (Result.fold ~ok:(Printf.sprintf "ok %d") ~error:(Printf.sprintf "error %s") x)) r;
  let opts = [ Some 1; None; Some 3 ] in
  Printf.printf "options: %s\n" (String.concat "," (List.map (fun o -> Option.fold ~none:"-" ~some:string_of_int o) opts));
  let e : (int, string) Either.t list = [ Either.Left 1; Either.Right "r"; Either.Left 2 ] in
  let l, rr = List.partition_map Fun.id e in
  Printf.printf "either: lefts %d rights %d\n" (List.length l) (List.length rr);
  prerr_endline "rpn: final expression underflows (uncaught)";
  Printf.printf "%g\n" (Rpn.eval "1 2 + *")
