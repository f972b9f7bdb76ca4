(* Allocation-heavy workloads with modest totals. *)
type 'a tree = E | T of 'a tree * 'a * 'a tree

let rec insert cmp x = function
  | E -> T (E, x, E)
  | T (l, v, r) as t ->
      let c = cmp x v in
      if c < 0 then T (insert cmp x l, v, r) else if c > 0 then T (l, v, insert cmp x r) else t

let rec to_list acc = function E -> acc | T (l, v, r) -> to_list (v :: to_list acc r) l

let lcg s = ((s * 1103515245) + 12345) land 0x3fffffff

let random_list n seed =
  let rec go i s acc = if i = 0 then acc else go (i - 1) (lcg s) ((s lsr 4) mod 100_000 :: acc) in
  go n seed []

let buffer_work n =
  let b = Buffer.create 16 in
  for i = 1 to n do
    Buffer.add_string b (string_of_int i);
    Buffer.add_char b (if i mod 10 = 0 then '\n' else ',')
  done;
  Buffer.contents b

let concat_work n =
  let s = ref "" in
  for i = 1 to n do s := !s ^ string_of_int (i mod 10) done;
  !s

let float_array_work n =
  let a = Array.init n (fun i -> float_of_int i *. 0.5) in
  let b = Array.map (fun x -> (x *. x) +. 1.) a in
  Array.fold_left ( +. ) 0. b

let boxed_floats n =
  let l = List.init n (fun i -> sqrt (float_of_int i)) in
  let l2 = List.map (fun f -> f *. 2.) l in
  List.fold_left ( +. ) 0. l2

type rc = { mutable count : int; name : string; mutable hist : int list }

let records n =
  let rs = Array.init 100 (fun i -> { count = 0; name = "r" ^ string_of_int i; hist = [] }) in
  for i = 0 to n - 1 do
    let r = rs.(i mod 100) in
    r.count <- r.count + 1;
    if i mod 7 = 0 then r.hist <- i :: r.hist
  done;
  rs
