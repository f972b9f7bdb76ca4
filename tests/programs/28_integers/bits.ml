let popcount x = let rec go x n = if x = 0 then n else go (x land (x - 1)) (n + 1) in go x 0
let reverse_bits16 x = let r = ref 0 in for i = 0 to 15 do if x land (1 lsl i) <> 0 then r := !r lor (1 lsl (15 - i)) done; !r
let gcd a b = let rec g a b = if b = 0 then abs a else g b (a mod b) in g a b
let rec pow_mod b e m = if e = 0 then 1 mod m else let h = pow_mod b (e / 2) m in let h2 = h * h mod m in if e mod 2 = 0 then h2 else h2 * b mod m
let is_prime n = n >= 2 && (let rec go d = d * d > n || (n mod d <> 0 && go (d + 1)) in go 2)
let sieve n = let a = Array.make (n + 1) true in a.(0) <- false; a.(1) <- false;
  for i = 2 to n do if a.(i) then (let j = ref (i * i) in while !j <= n do a.(!j) <- false; j := !j + i done) done; a
