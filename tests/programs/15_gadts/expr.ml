(* A typed expression language with GADTs. *)
type _ expr =
  | Int : int -> int expr
  | Bool : bool -> bool expr
  | Str : string -> string expr
  | Add : int expr * int expr -> int expr
  | Mul : int expr * int expr -> int expr
  | Lt : int expr * int expr -> bool expr
  | If : bool expr * 'a expr * 'a expr -> 'a expr
  | Pair : 'a expr * 'b expr -> ('a * 'b) expr
  | Fst : ('a * 'b) expr -> 'a expr
  | Snd : ('a * 'b) expr -> 'b expr
  | Concat : string expr * string expr -> string expr
  | Show : int expr -> string expr
  | Len : string expr -> int expr

let rec eval : type a. a expr -> a = function
  | Int n -> n
  | Bool b -> b
  | Str s -> s
  | Add (a, b) -> eval a + eval b
  | Mul (a, b) -> eval a * eval b
  | Lt (a, b) -> eval a < eval b
  | If (c, t, e) -> if eval c then eval t else eval e
  | Pair (a, b) -> (eval a, eval b)
  | Fst p -> fst (eval p)
  | Snd p -> snd (eval p)
  | Concat (a, b) -> eval a ^ eval b
  | Show e -> string_of_int (eval e)
  | Len s -> String.length (eval s)

let rec to_string : type a. a expr -> string = function
  | Int n -> string_of_int n
  | Bool b -> string_of_bool b
  | Str s -> Printf.sprintf "%S" s
  | Add (a, b) -> Printf.sprintf "(%s + %s)" (to_string a) (to_string b)
  | Mul (a, b) -> Printf.sprintf "(%s * %s)" (to_string a) (to_string b)
  | Lt (a, b) -> Printf.sprintf "(%s < %s)" (to_string a) (to_string b)
  | If (c, t, e) -> Printf.sprintf "(if %s then %s else %s)" (to_string c) (to_string t) (to_string e)
  | Pair (a, b) -> Printf.sprintf "(%s, %s)" (to_string a) (to_string b)
  | Fst p -> Printf.sprintf "fst %s" (to_string p)
  | Snd p -> Printf.sprintf "snd %s" (to_string p)
  | Concat (a, b) -> Printf.sprintf "(%s ^ %s)" (to_string a) (to_string b)
  | Show e -> Printf.sprintf "show %s" (to_string e)
  | Len s -> Printf.sprintf "len %s" (to_string s)

let rec size : type a. a expr -> int = function
  | Int _ | Bool _ | Str _ -> 1
  | Add (a, b) | Mul (a, b) | Lt (a, b) -> 1 + size a + size b
  | If (c, t, e) -> 1 + size c + size t + size e
  | Pair (a, b) -> 1 + size a + size b
  | Fst p -> 1 + size p
  | Snd p -> 1 + size p
  | Concat (a, b) -> 1 + size a + size b
  | Show e | Len (Show e) -> 1 + size e
  | Len s -> 1 + size s
