let () =
  Printf.printf "popcounts: %s\n" (String.concat " " (List.map (fun x -> string_of_int (Bits.popcount x)) [ 0; 1; 255; 1023; 0x5555; 123456789 ]));
  Printf.printf "rev16 0x0001=%04x 0x00ff=%04x 0x1234=%04x\n" (Bits.reverse_bits16 1) (Bits.reverse_bits16 0xff) (Bits.reverse_bits16 0x1234);
  Printf.printf "gcd: %d %d %d\n" (Bits.gcd 1071 462) (Bits.gcd (-48) 18) (Bits.gcd 17 0);
  Printf.printf "pow_mod 2^100 mod 1e9+7 = %d, 3^12345 mod 1000 = %d\n" (Bits.pow_mod 2 100 1_000_000_007) (Bits.pow_mod 3 12345 1000);
  let s = Bits.sieve 100_000 in
  let count = Array.fold_left (fun a b -> if b then a + 1 else a) 0 s in
  Printf.printf "primes below 100000: %d; is_prime 999983 %b, 1000001 %b\n" count (Bits.is_prime 999983) (Bits.is_prime 1000001);
  Printf.printf "fnv1a64 \"camlsym\" = %Lx\n" (Wide.fnv1a64 "camlsym");
  Printf.printf "fnv1a64 \"\" = %Lx\n" (Wide.fnv1a64 "");
  Printf.printf "crc32 \"The quick brown fox jumps over the lazy dog\" = %lx\n" (Wide.crc32 "The quick brown fox jumps over the lazy dog");
  let st = ref 88172645463325252L in
  for _ = 1 to 1000 do ignore (Wide.xorshift64 st) done;
  Printf.printf "xorshift64 after 1000: %Ld (%Lu unsigned)\n" !st !st;
  Printf.printf "int32 overflow: %ld %ld %ld\n" (Int32.add Int32.max_int 1l) (Int32.mul 65536l 65536l) (Int32.div Int32.min_int (-1l));
  Printf.printf "int64 ops: %Ld %Ld %Ld %Ld\n" (Int64.rem (-17L) 5L) (Int64.shift_right (-256L) 4) (Int64.of_float 1e15) (Int64.bits_of_float 1.0);
  Printf.printf "float bits: %h %.17g\n" (Int64.float_of_bits 0x400921FB54442D18L) (Int64.float_of_bits 0x3FB999999999999AL);
  Printf.printf "unsigned: %b %d %Lu\n" (Int32.unsigned_compare (-1l) 1l > 0) (Int32.unsigned_to_int 0xFFFFFFFFl |> Option.get) (Int64.unsigned_div (-1L) 3L);
  Printf.printf "conversions: %d %d %s %s\n" (int_of_string "0x1F") (int_of_string "-0b1010") (Int64.to_string (Int64.of_string "0o777")) (string_of_int (int_of_float (-3.7)));
  Printf.printf "int ops: %d %d %d %d %d\n" (-17 / 5) (-17 mod 5) (-17 asr 2) (1 lsl 40) ((-1) lsr 60);
  let a = Array.init 2000 (fun i -> (i * 7919) mod 2003) in
  Array.sort compare a;
  Printf.printf "sorted check %b, a.(0)=%d a.(1999)=%d\n" (Array.for_all (fun x -> x >= 0) a && a.(0) <= a.(1999)) a.(0) a.(1999);
  let bigarr = Bigarray.Array1.create Bigarray.float64 Bigarray.c_layout 1000 in
  for i = 0 to 999 do bigarr.{i} <- float_of_int i *. 0.5 done;
  let s = ref 0. in
  for i = 0 to 999 do s := !s +. bigarr.{i} done;
  Printf.printf "bigarray sum %.1f dim %d\n" !s (Bigarray.Array1.dim bigarr);
  let ba8 = Bigarray.Array1.init Bigarray.int8_unsigned Bigarray.c_layout 16 (fun i -> i * 20) in
  Printf.printf "int8_unsigned wraps: %d %d\n" ba8.{12} ba8.{15};
  prerr_endline "integers: done"
