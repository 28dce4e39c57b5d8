# Latin American Spanish as residents read it: "miércoles, 3 de febrero de 2027", "6:30 p. m.".
DATE_FORMAT = r"l, j \d\e F \d\e Y"
MONTH_DAY_FORMAT = r"l j \d\e F"
TIME_FORMAT = "g:i A"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
