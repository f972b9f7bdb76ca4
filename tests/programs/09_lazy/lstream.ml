(* Lazy streams built on Lazy.t *)
type 'a node = Nil | Cons of 'a * 'a t
and 'a t = 'a node Lazy.t

let rec from n : int t = lazy (Cons (n, from (n + 1)))
let rec take n (s : 'a t) = if n = 0 then [] else match Lazy.force s with Nil -> [] | Cons (x, r) -> x :: take (n - 1) r
let rec map f (s : 'a t) : 'b t = lazy (match Lazy.force s with Nil -> Nil | Cons (x, r) -> Cons (f x, map f r))
let rec filter p (s : 'a t) : 'a t =
  lazy (match Lazy.force s with
        | Nil -> Nil
        | Cons (x, r) -> if p x then Cons (x, filter p r) else Lazy.force (filter p r))

let rec sieve (s : int t) : int t =
  lazy (match Lazy.force s with
        | Nil -> Nil
        | Cons (p, r) -> Cons (p, sieve (filter (fun x -> x mod p <> 0) r)))

let primes = sieve (from 2)

let rec fibs a b : int t = lazy (Cons (a, fibs b (a + b)))
