(* Non-tail-recursive functions with deep recursion (within 8 MB stack). *)
let rec build n = if n = 0 then [] else n :: build (n - 1)
let rec map f = function [] -> [] | x :: r -> let y = f x in y :: map f r
let rec append a b = match a with [] -> b | x :: r -> x :: append r b
let rec sum = function [] -> 0 | x :: r -> x + sum r
let rec length_nt = function [] -> 0 | _ :: r -> 1 + length_nt r

(* mutual recursion, non-tail *)
let rec even_depth n = if n = 0 then 0 else 1 + odd_depth (n - 1)
and odd_depth n = if n = 0 then 0 else 1 + even_depth (n - 1)

(* recursion with float arithmetic in frames *)
let rec harmonic n = if n = 0 then 0. else (1. /. float_of_int n) +. harmonic (n - 1)
