open Workloads

let () =
  let l = random_list 30_000 42 in
  let t = List.fold_left (fun t x -> insert compare x t) E l in
  let sorted = to_list [] t in
  Printf.printf "tree of %d randoms: %d distinct, min %d max %d\n" (List.length l) (List.length sorted)
    (List.hd sorted) (List.nth sorted (List.length sorted - 1));
  let st = List.sort compare l in
  Printf.printf "List.sort agrees: %b\n" (List.sort_uniq compare st = sorted);
  let b = buffer_work 20_000 in
  Printf.printf "buffer: %d chars, digest %s\n" (String.length b) (Digest.to_hex (Digest.string b));
  let c = concat_work 2_000 in
  Printf.printf "concat: %d chars, prefix %s\n" (String.length c) (String.sub c 0 20);
  Printf.printf "float array sum: %.3f\n" (float_array_work 50_000);
  Printf.printf "boxed floats sum: %.6f\n" (boxed_floats 50_000);
  let rs = records 100_000 in
  let total = Array.fold_left (fun acc r -> acc + r.count) 0 rs in
  let hist = Array.fold_left (fun acc r -> acc + List.length r.hist) 0 rs in
  Printf.printf "records: total %d, hist %d, r42 %s/%d\n" total hist rs.(42).name rs.(42).count;
  let v = ref (Vec.make 0. 0. 0.) in
  for i = 1 to 100_000 do
    let f = float_of_int i in
    v := Vec.add !v (Vec.scale (1. /. f) (Vec.make 1. (sin f) (cos f)))
  done;
  Printf.printf "vector sum %s norm %.6f\n" (Vec.to_string !v) (Vec.norm !v);
  let matrix = Array.make_matrix 60 60 0. in
  for i = 0 to 59 do for j = 0 to 59 do matrix.(i).(j) <- float_of_int ((i * j) mod 7) done done;
  let mul a b =
    let n = Array.length a in
    Array.init n (fun i -> Array.init n (fun j ->
      let s = ref 0. in for k = 0 to n - 1 do s := !s +. (a.(i).(k) *. b.(k).(j)) done; !s))
  in
  let m2 = mul matrix matrix in
  let tr = ref 0. in
  for i = 0 to 59 do tr := !tr +. m2.(i).(i) done;
  Printf.printf "matrix trace %.1f\n" !tr;
  let strs = List.init 5000 (fun i -> String.make (i mod 17) (Char.chr (65 + (i mod 26)))) in
  let joined = String.concat "|" strs in
  Printf.printf "joined %d\n" (String.length joined);
  let by = Bytes.create 100_000 in
  Bytes.iteri (fun i _ -> Bytes.set by i (Char.chr (i mod 256))) by;
  Printf.printf "bytes digest %s\n" (Digest.to_hex (Digest.bytes by));
  let st = Gc.quick_stat () in
  Printf.eprintf "alloc: minor collections happened: %b\n" (st.Gc.minor_collections > 0)
