let rows =
  [ ("alpha", 1, 3.14159, true, 'a'); ("beta", -22, 2.71828, false, 'b');
    ("gamma", 333, -1.41421, true, 'c'); ("delta-long-name", 4444, 1e10, false, 'd');
    ("epsilon", 0, 1e-5, true, 'e') ]

let print_table () =
  Printf.printf "|%-16s|%6s|%12s|%6s|%3s|\n" "name" "int" "float" "bool" "chr";
  List.iter (fun (n, i, f, b, c) -> Printf.printf "|%-16s|%6d|%12.4f|%6B|%3c|\n" n i f b c) rows;
  List.iter (fun (n, i, f, _, _) -> Printf.printf "%s: %+d %x %X %o %#x %e %g %08.3f %S\n" n i (abs i) (abs i) (abs i) (abs i) f f f n) rows
