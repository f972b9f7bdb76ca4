open Lexer
open Ast

exception Parse_error of string

let parse tokens =
  let toks = ref tokens in
  let peek () = match !toks with t :: _ -> t | [] -> EOF in
  let advance () = match !toks with _ :: r -> toks := r | [] -> () in
  let expect t what = if peek () = t then advance () else raise (Parse_error ("expected " ^ what)) in
  let ident () = match peek () with IDENT x -> advance (); x | _ -> raise (Parse_error "expected identifier") in
  let rec expr () =
    match peek () with
    | LET ->
        advance ();
        if peek () = REC then begin
          advance ();
          let f = ident () in
          let x = ident () in
          expect EQ "=";
          let e = expr () in
          expect IN "in";
          LetRec (f, x, e, expr ())
        end else begin
          let x = ident () in
          expect EQ "=";
          let e = expr () in
          expect IN "in";
          Let (x, e, expr ())
        end
    | IF ->
        advance ();
        let c = expr () in
        expect THEN "then";
        let t = expr () in
        expect ELSE "else";
        If (c, t, expr ())
    | FUN ->
        advance ();
        let x = ident () in
        expect ARROW "->";
        Fun (x, expr ())
    | _ -> compare_ ()
  and compare_ () =
    let a = additive () in
    match peek () with OP '<' -> advance (); Bin ('<', a, additive ()) | _ -> a
  and additive () =
    let rec loop a = match peek () with
      | OP (('+' | '-') as c) -> advance (); loop (Bin (c, a, multiplicative ()))
      | _ -> a in
    loop (multiplicative ())
  and multiplicative () =
    let rec loop a = match peek () with
      | OP (('*' | '/' | '%') as c) -> advance (); loop (Bin (c, a, application ()))
      | _ -> a in
    loop (application ())
  and application () =
    let rec loop f = match peek () with
      | INT _ | IDENT _ | LPAREN -> loop (App (f, atom ()))
      | _ -> f in
    loop (atom ())
  and atom () =
    match peek () with
    | INT n -> advance (); Num n
    | IDENT x -> advance (); Var x
    | LPAREN -> advance (); let e = expr () in expect RPAREN ")"; e
    | _ -> raise (Parse_error "unexpected token")
  in
  let e = expr () in
  expect EOF "end of input";
  e
