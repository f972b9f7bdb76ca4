type token = INT of int | IDENT of string | OP of char | LPAREN | RPAREN | LET | REC | IN | IF | THEN | ELSE | FUN | ARROW | EQ | EOF

exception Lex_error of int * char

let keywords = [ ("let", LET); ("rec", REC); ("in", IN); ("if", IF); ("then", THEN); ("else", ELSE); ("fun", FUN) ]

let tokenize s =
  let n = String.length s in
  let rec go i acc =
    if i >= n then List.rev (EOF :: acc)
    else
      match s.[i] with
      | ' ' | '\n' | '\t' -> go (i + 1) acc
      | '0' .. '9' ->
          let j = ref i in
          while !j < n && s.[!j] >= '0' && s.[!j] <= '9' do incr j done;
          go !j (INT (int_of_string (String.sub s i (!j - i))) :: acc)
      | 'a' .. 'z' | '_' ->
          let j = ref i in
          while !j < n && (match s.[!j] with 'a' .. 'z' | '0' .. '9' | '_' -> true | _ -> false) do incr j done;
          let w = String.sub s i (!j - i) in
          go !j ((match List.assoc_opt w keywords with Some k -> k | None -> IDENT w) :: acc)
      | '-' when i + 1 < n && s.[i + 1] = '>' -> go (i + 2) (ARROW :: acc)
      | ('+' | '-' | '*' | '/' | '<' | '%') as c -> go (i + 1) (OP c :: acc)
      | '=' -> go (i + 1) (EQ :: acc)
      | '(' -> go (i + 1) (LPAREN :: acc)
      | ')' -> go (i + 1) (RPAREN :: acc)
      | c -> raise (Lex_error (i, c))
  in
  go 0 []
