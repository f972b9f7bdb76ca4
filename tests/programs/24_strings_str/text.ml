let corpus = {|The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!
OCaml 4.13.1 was released in 2021-09-24, and camlsym links programs like ocamlopt.
Emails: alice@example.com, bob.smith@test.org; phone 555-0100 or 555-0199.
A man, a plan, a canal: Panama. Was it a car or a cat I saw?|}

let words s =
  String.split_on_char ' ' s
  |> List.concat_map (String.split_on_char '\n')
  |> List.map (fun w -> String.lowercase_ascii (String.concat "" (List.map (String.make 1) (List.filter (fun c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) (List.of_seq (String.to_seq w))))))
  |> List.filter (fun w -> w <> "")

let is_palindrome s =
  let t = String.concat "" (List.map (String.make 1) (List.filter (fun c -> c >= 'a' && c <= 'z') (List.of_seq (String.to_seq (String.lowercase_ascii s))))) in
  let n = String.length t in
  let rec go i = i >= n / 2 || (t.[i] = t.[n - 1 - i] && go (i + 1)) in
  n > 0 && go 0

let caesar k s = String.map (fun c ->
  if c >= 'a' && c <= 'z' then Char.chr (((Char.code c - 97 + k) mod 26) + 97)
  else if c >= 'A' && c <= 'Z' then Char.chr (((Char.code c - 65 + k) mod 26) + 65) else c) s

let rle s =
  let b = Buffer.create 16 in
  let n = String.length s in
  let i = ref 0 in
  while !i < n do
    let j = ref !i in
    while !j < n && s.[!j] = s.[!i] do incr j done;
    Buffer.add_string b (string_of_int (!j - !i));
    Buffer.add_char b s.[!i];
    i := !j
  done;
  Buffer.contents b

let levenshtein a b =
  let m = String.length a and n = String.length b in
  let d = Array.make_matrix (m + 1) (n + 1) 0 in
  for i = 0 to m do d.(i).(0) <- i done;
  for j = 0 to n do d.(0).(j) <- j done;
  for i = 1 to m do for j = 1 to n do
    let c = if a.[i - 1] = b.[j - 1] then 0 else 1 in
    d.(i).(j) <- min (min (d.(i - 1).(j) + 1) (d.(i).(j - 1) + 1)) (d.(i - 1).(j - 1) + c)
  done done;
  d.(m).(n)
