let () =
  let w = 64 and h = 32 in
  let ramp = " .:-=+*#%@" in
  let total = ref 0. in
  let hist = Array.make 10 0 in
  for j = 0 to h - 1 do
    let line = Bytes.create w in
    for i = 0 to w - 1 do
      let x = (float_of_int i -. (float_of_int w /. 2.)) /. float_of_int w *. 2. in
      let y = ((float_of_int h /. 2.) -. float_of_int j) /. float_of_int h in
      let dir = V3.normalize (V3.v x y 1.5) in
      let c = Scene.trace (V3.v 0. 0. 0.) dir 3 in
      total := !total +. c;
      let k = max 0 (min 9 (int_of_float (c *. 10.))) in
      hist.(k) <- hist.(k) + 1;
      Bytes.set line i ramp.[k]
    done;
    print_endline (Bytes.to_string line)
  done;
  Printf.printf "mean brightness %.6f\n" (!total /. float_of_int (w * h));
  Printf.printf "histogram %s\n" (String.concat " " (Array.to_list (Array.map string_of_int hist)));
  (* numeric kernels *)
  let integrate f a b n =
    let hh = (b -. a) /. float_of_int n in
    let s = ref ((f a +. f b) /. 2.) in
    for i = 1 to n - 1 do s := !s +. f (a +. (float_of_int i *. hh)) done;
    !s *. hh
  in
  Printf.printf "integral sin 0..pi = %.8f\n" (integrate sin 0. Float.pi 10000);
  Printf.printf "integral exp 0..1 = %.8f\n" (integrate exp 0. 1. 10000);
  let rec newton f df x n = if n = 0 then x else newton f df (x -. (f x /. df x)) (n - 1) in
  Printf.printf "sqrt 2 by newton = %.12f\n" (newton (fun x -> (x *. x) -. 2.) (fun x -> 2. *. x) 1. 20);
  let mandel cx cy = let rec go zx zy i = if i = 50 || (zx *. zx) +. (zy *. zy) > 4. then i else go ((zx *. zx) -. (zy *. zy) +. cx) ((2. *. zx *. zy) +. cy) (i + 1) in go 0. 0. 0 in
  for j = 0 to 11 do
    print_endline (String.init 48 (fun i -> let it = mandel (-2. +. (float_of_int i *. 0.0625)) (-1.1 +. (float_of_int j *. 0.2)) in if it = 50 then '#' else if it > 8 then '+' else '.'))
  done;
  Printf.printf "float ops: %.3f %.3f %.3f %s %s\n" (Float.rem 10.5 3.) (Float.round 2.5) (ldexp 1. 10)
    (string_of_float (1. /. 3.)) (string_of_float 1e100);
  prerr_endline "raytracer: rendered"
