type token = Num of float | Op of char | Fn of string

exception Stack_underflow of string
exception Unknown_token of string

let tokenize s =
  List.filter_map (fun w ->
    if w = "" then None
    else match float_of_string_opt w with
      | Some f -> Some (Num f)
      | None -> if String.length w = 1 && String.contains "+-*/^" w.[0] then Some (Op w.[0]) else Some (Fn w))
    (String.split_on_char ' ' s)

let eval s =
  let st = Stack.create () in
  let pop what = match Stack.pop_opt st with Some v -> v | None -> raise (Stack_underflow what) in
  List.iter (function
    | Num f -> Stack.push f st
    | Op c ->
        let b = pop (String.make 1 c) in
        let a = pop (String.make 1 c) in
        Stack.push (match c with '+' -> a +. b | '-' -> a -. b | '*' -> a *. b | '/' -> a /. b | _ -> a ** b) st
    | Fn "sqrt" -> Stack.push (sqrt (pop "sqrt")) st
    | Fn "dup" -> let v = pop "dup" in Stack.push v st; Stack.push v st
    | Fn "swap" -> let b = pop "swap" in let a = pop "swap" in Stack.push b st; Stack.push a st
    | Fn "sum" -> let t = Stack.fold ( +. ) 0. st in Stack.clear st; Stack.push t st
    | Fn f -> raise (Unknown_token f))
    (tokenize s);
  pop "result"
