open Pp

let () =
  Table.print_table ();
  let pts = List.init 12 (fun i -> { px = i; py = i * i }) in
  Format.printf "point: %a@." pp_point (List.hd pts);
  Format.printf "points: %a@." (pp_list pp_point) pts;
  Format.set_margin 40;
  Format.printf "narrow: %a@." (pp_list pp_point) pts;
  Format.set_margin 78;
  let t = Node ("root", [ Leaf "a"; Node ("sub", [ Leaf "b"; Leaf "c"; Node ("deep", [ Leaf "d" ]) ]); Leaf "e" ]) in
  Format.printf "%a@." pp_tree t;
  let s = Format.asprintf "%a and %a" pp_point { px = 1; py = 2 } (pp_list Format.pp_print_int) [ 1; 2; 3 ] in
  print_endline ("asprintf: " ^ s);
  let b = Buffer.create 64 in
  Printf.bprintf b "buffered %a %a" point_to_buffer { px = 3; py = 4 } point_to_buffer { px = 5; py = 6 };
  print_endline (Buffer.contents b);
  Printf.printf "fprintf %a\n" out_point { px = 7; py = 8 };
  print_endline (Printf.sprintf "sprintf %a" str_point { px = 9; py = 10 });
  Printf.printf "%t\n" (fun oc -> output_string oc "via %t");
  let k = Printf.ksprintf (fun s -> String.length s) "%d-%s-%f" 12 "abc" 1.5 in
  Printf.printf "ksprintf length %d\n" k;
  let fmt = format_of_string "%s=%d;" in
  List.iter (fun (a, b) -> Printf.printf fmt a b) [ ("x", 1); ("y", 2) ];
  print_newline ();
  let fmt2 = "%d + %d = %d" ^^ " (%s)\n" in
  Printf.printf fmt2 2 3 5 "concat formats";
  Printf.printf "%*d|%-*d|%.*f\n" 6 42 6 42 3 3.14159;
  Printf.printf "%c%c%c %5.1f%% %s\n" 'O' 'K' '!' 99.5 (String.escaped "tab\there\n");
  Printf.printf "%ld %Ld %nd %Lx\n" 123l 123456789012L 77n 255L;
  Printf.printf "floats: %h %F %.0f %.15g %g %g\n" 1.5 0.1 2.5 (1. /. 3.) infinity nan;
  Format.printf "@[<hv 2>hv box:@ %s@ %s@ %s@]@." "one" "two" "three";
  Format.printf "@[<v>vertical@,%d@,%d@]@." 1 2;
  Format.printf "%a@." (Format.pp_print_option ~none:(fun f () -> Format.pp_print_string f "none") Format.pp_print_int) None;
  Format.printf "%a@." Format.pp_print_text "Text with several words that should wrap only when the margin is reached by the pretty printer.";
  Format.eprintf "stderr via Format: %a@." pp_point { px = -1; py = -2 };
  Printf.eprintf "stderr via Printf %S\n" "end"
