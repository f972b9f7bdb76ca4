type shape = Circle of float | Poly of (float * float) list | Named of string * shape
type record = { id : int; name : string; tags : string list; score : float; mutable hits : int;
                shape : shape; arr : int array; farr : float array; opt : int option }

let sample i =
  { id = i; name = "item" ^ string_of_int i; tags = List.init (i mod 4) (fun k -> "t" ^ string_of_int k);
    score = float_of_int i /. 3.; hits = i * i;
    shape = (if i mod 2 = 0 then Circle (float_of_int i) else Named ("p", Poly [ (0., 0.); (1., float_of_int i) ]));
    arr = Array.init (i mod 5) (fun k -> k * i); farr = Array.init 3 (fun k -> float_of_int (k + i) *. 0.5);
    opt = (if i mod 3 = 0 then None else Some i) }

let rec shape_to_string = function
  | Circle r -> Printf.sprintf "Circle %.2f" r
  | Poly pts -> "Poly[" ^ String.concat ";" (List.map (fun (x, y) -> Printf.sprintf "(%.1f,%.1f)" x y) pts) ^ "]"
  | Named (n, s) -> Printf.sprintf "Named(%s,%s)" n (shape_to_string s)

let to_string r =
  Printf.sprintf "{%d %s [%s] %.3f %d %s [%s] [%s] %s}" r.id r.name (String.concat "," r.tags) r.score r.hits
    (shape_to_string r.shape)
    (String.concat ";" (Array.to_list (Array.map string_of_int r.arr)))
    (String.concat ";" (Array.to_list (Array.map (Printf.sprintf "%.1f") r.farr)))
    (match r.opt with None -> "None" | Some x -> "Some " ^ string_of_int x)

type tree = Leaf | Node of tree * int * tree
let rec build lo hi = if lo > hi then Leaf else let m = (lo + hi) / 2 in Node (build lo (m - 1), m, build (m + 1) hi)
let rec sum = function Leaf -> 0 | Node (l, v, r) -> sum l + v + sum r
