# Vietnamese as residents read it: "Thứ 4, ngày 3 tháng 2 năm 2027"; the time of day comes
# from meetings.dates.clock ("6:30 chiều").
DATE_FORMAT = r"l, \n\gà\y j \t\há\n\g n \nă\m Y"
MONTH_DAY_FORMAT = r"l, \n\gà\y j \t\há\n\g n"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
