# Arabic as residents read it: "الأربعاء، 3 فبراير 2027" (Arabic comma, Western digits as
# Dallas's Arabic-language notices write them); "6:30 م" from meetings.dates.clock.
DATE_FORMAT = r"l، j F Y"
MONTH_DAY_FORMAT = r"l، j F"
TIME_FORMAT = "g:i A"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
