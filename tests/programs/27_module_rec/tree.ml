(* Recursive modules: a tree whose children are stored in a set of trees. *)
module rec T : sig
  type t = { label : string; children : TSet.t }
  val compare : t -> t -> int
  val make : string -> t list -> t
  val size : t -> int
  val to_string : t -> string
end = struct
  type t = { label : string; children : TSet.t }
  let compare a b = match String.compare a.label b.label with 0 -> compare (TSet.cardinal a.children) (TSet.cardinal b.children) | c -> c
  let make label kids = { label; children = List.fold_left (fun s k -> TSet.add k s) TSet.empty kids }
  let size t = 1 + TSet.fold (fun k acc -> acc + T.size k) t.children 0
  let to_string t =
    if TSet.is_empty t.children then t.label
    else t.label ^ "(" ^ String.concat "," (List.map T.to_string (TSet.elements t.children)) ^ ")"
end
and TSet : Set.S with type elt = T.t = Set.Make (T)

(* Mutually recursive evaluators for a tiny language of statements/expressions *)
module rec Expr : sig
  type t = Lit of int | Block of Stmt.t list * t | Plus of t * t
  val eval : (string, int) Hashtbl.t -> t -> int
end = struct
  type t = Lit of int | Block of Stmt.t list * t | Plus of t * t
  let rec eval env = function
    | Lit n -> n
    | Plus (a, b) -> eval env a + eval env b
    | Block (stmts, e) -> List.iter (Stmt.exec env) stmts; eval env e
end
and Stmt : sig
  type t = Assign of string * Expr.t | Print of Expr.t | Repeat of int * t list
  val exec : (string, int) Hashtbl.t -> t -> unit
end = struct
  type t = Assign of string * Expr.t | Print of Expr.t | Repeat of int * t list
  let rec exec env = function
    | Assign (x, e) -> Hashtbl.replace env x (Expr.eval env e)
    | Print e -> Printf.printf "print %d\n" (Expr.eval env e)
    | Repeat (n, body) -> for _ = 1 to n do List.iter (exec env) body done
end
