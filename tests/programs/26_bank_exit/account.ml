exception Insufficient_funds of { account : string; balance : int; requested : int }
exception Frozen of string

class virtual account (owner : string) (initial : int) =
  object (self)
    val mutable balance = initial
    val mutable history : string list = []
    val mutable frozen = false
    method owner = owner
    method balance = balance
    method virtual kind : string
    method virtual fee : int -> int
    method private log msg = history <- msg :: history
    method history = List.rev history
    method freeze = frozen <- true
    method deposit amount =
      if frozen then raise (Frozen owner);
      balance <- balance + amount;
      self#log (Printf.sprintf "+%d" amount)
    method withdraw amount =
      if frozen then raise (Frozen owner);
      let total = amount + self#fee amount in
      if total > balance then raise (Insufficient_funds { account = owner; balance; requested = total });
      balance <- balance - total;
      self#log (Printf.sprintf "-%d(fee %d)" amount (self#fee amount))
  end

class checking owner initial =
  object
    inherit account owner initial
    method kind = "checking"
    method fee _ = 1
  end

class savings owner initial rate =
  object (self)
    inherit account owner initial as super
    method kind = "savings"
    method fee amount = amount / 10
    method add_interest = self#deposit (balance * rate / 100)
    method! withdraw amount = if amount > 500 then raise (Failure "savings limit") else super#withdraw amount
  end
