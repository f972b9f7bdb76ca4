type item = { sku : string; mutable qty : int; price : float; mutable tags : string list }
type t = { items : (string, item) Hashtbl.t; mutable log : string list; mutable total_ops : int }

let create () = { items = Hashtbl.create 16; log = []; total_ops = 0 }

let record t msg = t.log <- msg :: t.log; t.total_ops <- t.total_ops + 1

let add t sku qty price =
  match Hashtbl.find_opt t.items sku with
  | Some it -> it.qty <- it.qty + qty; record t (Printf.sprintf "restock %s +%d" sku qty)
  | None -> Hashtbl.add t.items sku { sku; qty; price; tags = [] }; record t ("new " ^ sku)

exception Insufficient of string * int

let remove t sku qty =
  let it = Hashtbl.find t.items sku in
  if it.qty < qty then raise (Insufficient (sku, it.qty));
  it.qty <- it.qty - qty;
  record t (Printf.sprintf "sold %s -%d" sku qty)

let value t = Hashtbl.fold (fun _ it acc -> acc +. (float_of_int it.qty *. it.price)) t.items 0.

let sorted_items t = List.sort (fun a b -> compare a.sku b.sku) (Hashtbl.fold (fun _ v acc -> v :: acc) t.items [])
