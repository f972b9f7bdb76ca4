(* Functions taking tuples: the native compiler "tuplifies" them, so a
   first-class use goes through a caml_tuplifyN wrapper. *)
let t2 (a, b) = a * 2 + b
let t3 (a, b, c) = a + b * c
let t4 (a, b, c, d) = (a + b) * (c + d)
let t5 (a, b, c, d, e) = a + b + c + d + e
let t6 (a, b, c, d, e, f) = a * b * c - d * e * f
let t7 (a, b, c, d, e, f, g) = Printf.sprintf "%d%d%d%d%d%d%d" a b c d e f g
let t8 (a, b, c, d, e, f, g, h) = List.fold_left ( + ) 0 [ a; b; c; d; e; f; g; h ]
let t9 (a, b, c, d, e, f, g, h, i) = (a + b + c) * (d + e + f) * (g + h + i)

let swap (a, b) = (b, a)
let name_age (name, (age : int)) = Printf.sprintf "%s(%d)" name age
let fmix ((x : float), (y : float), (s : string)) = Printf.sprintf "%s:%.2f" s (x *. y)
