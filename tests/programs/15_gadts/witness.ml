(* Type witnesses, type equality and heterogeneous lists. *)
type _ ty = TInt : int ty | TString : string ty | TList : 'a ty -> 'a list ty | TPair : 'a ty * 'b ty -> ('a * 'b) ty

type (_, _) eq = Refl : ('a, 'a) eq

let rec equal : type a b. a ty -> b ty -> (a, b) eq option =
 fun a b ->
  match (a, b) with
  | TInt, TInt -> Some Refl
  | TString, TString -> Some Refl
  | TList a, TList b -> (match equal a b with Some Refl -> Some Refl | None -> None)
  | TPair (a1, a2), TPair (b1, b2) -> (
      match (equal a1 b1, equal a2 b2) with Some Refl, Some Refl -> Some Refl | _ -> None)
  | _ -> None

let rec show : type a. a ty -> a -> string =
 fun t v ->
  match t with
  | TInt -> string_of_int v
  | TString -> Printf.sprintf "%S" v
  | TList t -> "[" ^ String.concat "; " (List.map (show t) v) ^ "]"
  | TPair (a, b) -> "(" ^ show a (fst v) ^ ", " ^ show b (snd v) ^ ")"

type dyn = Dyn : 'a ty * 'a -> dyn

let cast : type a. a ty -> dyn -> a option =
 fun t (Dyn (t', v)) -> match equal t' t with Some Refl -> Some v | None -> None

type hlist = HNil : hlist | HCons : 'a ty * 'a * hlist -> hlist
