from . import account_payment_register, account_statement_import
