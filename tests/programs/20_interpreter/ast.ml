type expr =
  | Num of int
  | Var of string
  | Bin of char * expr * expr
  | Let of string * expr * expr
  | If of expr * expr * expr
  | Fun of string * expr
  | App of expr * expr
  | LetRec of string * string * expr * expr

let rec show = function
  | Num n -> string_of_int n
  | Var v -> v
  | Bin (op, a, b) -> Printf.sprintf "(%s %c %s)" (show a) op (show b)
  | Let (x, e, b) -> Printf.sprintf "(let %s = %s in %s)" x (show e) (show b)
  | If (c, t, e) -> Printf.sprintf "(if %s then %s else %s)" (show c) (show t) (show e)
  | Fun (x, b) -> Printf.sprintf "(fun %s -> %s)" x (show b)
  | App (f, a) -> Printf.sprintf "(%s %s)" (show f) (show a)
  | LetRec (f, x, e, b) -> Printf.sprintf "(let rec %s %s = %s in %s)" f x (show e) (show b)
