open Ast

type value = VInt of int | VClosure of string * expr * env ref
and env = (string * value) list

exception Runtime_error of string

let steps = ref 0

let rec eval env e =
  incr steps;
  match e with
  | Num n -> VInt n
  | Var x -> (try List.assoc x env with Not_found -> raise (Runtime_error ("unbound " ^ x)))
  | Bin (op, a, b) -> (
      match (eval env a, eval env b) with
      | VInt x, VInt y -> (
          match op with
          | '+' -> VInt (x + y) | '-' -> VInt (x - y) | '*' -> VInt (x * y)
          | '/' -> VInt (x / y) | '%' -> VInt (x mod y)
          | '<' -> VInt (if x < y then 1 else 0)
          | _ -> raise (Runtime_error "bad op"))
      | _ -> raise (Runtime_error "arith on closure"))
  | Let (x, e, b) -> eval ((x, eval env e) :: env) b
  | If (c, t, f) -> (match eval env c with VInt 0 -> eval env f | VInt _ -> eval env t | _ -> raise (Runtime_error "if on closure"))
  | Fun (x, b) -> VClosure (x, b, ref env)
  | App (f, a) -> (
      match eval env f with
      | VClosure (x, b, cenv) -> let v = eval env a in eval ((x, v) :: !cenv) b
      | VInt _ -> raise (Runtime_error "apply a number"))
  | LetRec (f, x, body, rest) ->
      let cenv = ref [] in
      let clo = VClosure (x, body, cenv) in
      cenv := (f, clo) :: env;
      eval ((f, clo) :: env) rest

let to_string = function VInt n -> string_of_int n | VClosure (x, _, _) -> "<fun " ^ x ^ ">"
