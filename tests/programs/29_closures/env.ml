(* Closures with large environments, mutually recursive closures, closures
   returned from functions at several arities. *)
let make_big a b c d e f g h i j k l m n o p =
  let s = a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p in
  fun x y -> (x * s) + y + a - p + (h * i)

let make_pair base =
  let rec even n = if n = 0 then base else odd (n - 1)
  and odd n = if n = 0 then -base else even (n - 1) in
  (even, odd)

let counter () =
  let c = ref 0 in
  let incr_by k = c := !c + k; !c in
  let get () = !c in
  let reset () = c := 0 in
  (incr_by, get, reset)

type ops = { add : int -> int -> int; mul3 : int -> int -> int -> int; fmt : string -> int -> float -> string }

let ops_with offset =
  { add = (fun a b -> a + b + offset); mul3 = (fun a b c -> (a * b * c) + offset);
    fmt = (fun s i f -> Printf.sprintf "%s/%d/%.1f/%d" s i f offset) }

let curry3 f a b c = f (a, b, c)
let uncurry3 f (a, b, c) = f a b c
let flip f a b = f b a
let rec iterate n f x = if n = 0 then x else iterate (n - 1) f (f x)
let pipeline fs = List.fold_left (fun acc f -> fun x -> f (acc x)) Fun.id fs
