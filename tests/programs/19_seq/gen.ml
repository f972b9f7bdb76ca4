(* Seq producers *)
let rec naturals n () = Seq.Cons (n, naturals (n + 1))
let take n s =
  let rec go n s () = if n = 0 then Seq.Nil else match s () with Seq.Nil -> Seq.Nil | Seq.Cons (x, r) -> Seq.Cons (x, go (n - 1) r) in
  go n s
let rec take_while p s () = match s () with Seq.Cons (x, r) when p x -> Seq.Cons (x, take_while p r) | _ -> Seq.Nil
let collatz n = Seq.unfold (fun x -> if x = 0 then None else if x = 1 then Some (1, 0) else Some (x, if x mod 2 = 0 then x / 2 else (3 * x) + 1)) n
let chars s = String.to_seq s
let zip a b =
  let rec go a b () = match (a (), b ()) with Seq.Cons (x, ra), Seq.Cons (y, rb) -> Seq.Cons ((x, y), go ra rb) | _ -> Seq.Nil in
  go a b
