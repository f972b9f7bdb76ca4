let transfer (src : #Account.account) (dst : #Account.account) amount =
  src#withdraw amount;
  dst#deposit amount

let report accounts =
  List.iter (fun (a : Account.account) ->
    Printf.printf "%-8s %-9s %6d  [%s]\n" a#owner a#kind a#balance (String.concat " " a#history)) accounts

let attempt label f =
  match f () with
  | () -> Printf.printf "%s: ok\n" label
  | exception Account.Insufficient_funds { account; balance; requested } ->
      Printf.printf "%s: insufficient funds in %s (balance %d, requested %d)\n" label account balance requested
  | exception Account.Frozen who -> Printf.printf "%s: account of %s is frozen\n" label who
  | exception Failure m -> Printf.printf "%s: failure %s\n" label m
