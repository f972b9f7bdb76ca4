(* Functions of small arities, defined in a separate module so that calls
   from other modules go through known-function or generic paths. *)
let f2 a b = a * 10 + b
let f3 a b c = (a * 100) + (b * 10) + c
let f4 a b c d = f3 a b c * 10 + d
let f5 a b c d e = f4 a b c d * 10 + e
let f6 a b c d e f = f5 a b c d e * 10 + f
let f7 a b c d e f g = f6 a b c d e f * 10 + g
let f8 a b c d e f g h = f7 a b c d e f g * 10 + h

(* returns a function: over-application target *)
let adder2 a b = fun c -> a + b + c
let adder3 a b c = fun d e -> a + b + c + d + e

let str3 a b c = Printf.sprintf "<%s|%s|%s>" a b c
let mixf a (b : float) c (d : string) = Printf.sprintf "%d %.2f %c %s" a b c d
