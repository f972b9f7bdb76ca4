type t = Leaf | Node of t * int * t

(* a degenerate (list-like) tree, deep on the right *)
let rec comb n = if n = 0 then Leaf else Node (Leaf, n, comb (n - 1))
let rec size = function Leaf -> 0 | Node (l, _, r) -> size l + 1 + size r
let rec depth = function Leaf -> 0 | Node (l, _, r) -> 1 + max (depth l) (depth r)
let rec mirror = function Leaf -> Leaf | Node (l, v, r) -> Node (mirror r, v, mirror l)
let rec fold f acc = function Leaf -> acc | Node (l, v, r) -> fold f (f (fold f acc l) v) r

let rec balanced lo hi = if lo > hi then Leaf else let m = (lo + hi) / 2 in Node (balanced lo (m - 1), m, balanced (m + 1) hi)

(* Ackermann-ish deep recursion on small inputs *)
let rec ack m n = if m = 0 then n + 1 else if n = 0 then ack (m - 1) 1 else ack (m - 1) (ack m (n - 1))
