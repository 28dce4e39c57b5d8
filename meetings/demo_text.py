"""The demo series' text in each language the project ships (a language file: keyed by code).

seed_demo fills the languages an install enables (settings.LANGUAGES) from here; venues' notes
follow seed_demo's VENUES order, and the department's answers its questions page order.
"""

NOTE_EXAMPLE = {
    "en": "(Example address.)",
    "es": "(Dirección de ejemplo).",
    "vi": "(Địa chỉ ví dụ.)",
    "ar": "(عنوان على سبيل المثال.)",
}

TEXT = {
    "en": {
        "title": "Community meeting with the police department",
        "description": (
            "Meet the interim chief and the officers who work in your neighborhood. Ask about "
            "safety, how to report a crime, and your rights. It is free, and no one will ask "
            "for ID or immigration status. Children are welcome."
        ),
        "host": "Interim Chief of Police",
        "notes": [
            "Enter through the side door on the parking lot.",
            "Cafeteria, main entrance on S Hampton Rd.",
            "Room B, ground floor.",
            "Meeting room next to the children's section.",
            "Parish hall behind the church.",
        ],
        "statements": [
            (
                "Will officers at the meeting ask about my immigration status?",
                "No. Officers at these community meetings do not ask anyone about immigration "
                "status and do not check papers. Come, listen and ask what you want to know.",
            ),
            (
                "Do I have to give my name?",
                "No. You can come and ask questions without saying who you are.",
            ),
            (
                "Can I report a crime without going to a police station?",
                "Yes. You can tell an officer at the meeting, or call the number at the bottom "
                "of this page. You can ask for an interpreter.",
            ),
        ],
    },
    "es": {
        "title": "Reunión comunitaria con el departamento de policía",
        "description": (
            "Conozca al jefe interino y a los oficiales que trabajan en su vecindario. Pregunte "
            "sobre seguridad, cómo reportar un delito y sus derechos. Es gratis y nadie le "
            "pedirá identificación ni estatus migratorio. Los niños son bienvenidos."
        ),
        "host": "Jefe de Policía interino",
        "notes": [
            "Entre por la puerta lateral del estacionamiento.",
            "En la cafetería; entrada principal por S Hampton Rd.",
            "Salón B, planta baja.",
            "Sala de reuniones junto a la sección infantil.",
            "Salón parroquial detrás de la iglesia.",
        ],
        "statements": [
            (
                "¿Los oficiales de la reunión van a preguntar por mi estatus migratorio?",
                "No. En estas reuniones comunitarias, los oficiales no le preguntan a nadie por "
                "su estatus migratorio ni revisan papeles. Venga, escuche y pregunte lo que "
                "quiera saber.",
            ),
            (
                "¿Tengo que dar mi nombre?",
                "No. Puede venir y hacer preguntas sin decir quién es.",
            ),
            (
                "¿Puedo reportar un delito sin ir a una estación de policía?",
                "Sí. Puede decírselo a un oficial en la reunión o llamar al número que está al "
                "final de esta página. Puede pedir un intérprete.",
            ),
        ],
    },
    "vi": {
        "title": "Buổi họp cộng đồng với Sở Cảnh sát",
        "description": (
            "Gặp gỡ cảnh sát trưởng tạm quyền và các nhân viên cảnh sát làm việc trong khu phố "
            "của quý vị. Quý vị có thể hỏi về an toàn, cách trình báo một vụ phạm tội và các "
            "quyền của mình. Buổi họp miễn phí, và không ai hỏi giấy tờ tùy thân hay tình trạng "
            "di trú. Trẻ em cũng được chào đón."
        ),
        "host": "Cảnh sát trưởng tạm quyền",
        "notes": [
            "Xin vào bằng cửa hông phía bãi đậu xe.",
            "Tại nhà ăn; lối vào chính trên đường S Hampton Rd.",
            "Phòng B, tầng trệt.",
            "Phòng họp cạnh khu dành cho trẻ em.",
            "Hội trường giáo xứ phía sau nhà thờ.",
        ],
        "statements": [
            (
                "Nhân viên cảnh sát tại buổi họp có hỏi về tình trạng di trú của tôi không?",
                "Không. Tại các buổi họp cộng đồng này, nhân viên cảnh sát không hỏi ai về tình "
                "trạng di trú và không kiểm tra giấy tờ. Quý vị cứ đến, lắng nghe và hỏi những "
                "gì quý vị muốn biết.",
            ),
            (
                "Tôi có phải cho biết tên không?",
                "Không. Quý vị có thể đến và đặt câu hỏi mà không cần cho biết mình là ai.",
            ),
            (
                "Tôi có thể trình báo một vụ phạm tội mà không cần đến đồn cảnh sát không?",
                "Có. Quý vị có thể nói với một nhân viên cảnh sát tại buổi họp, hoặc gọi số điện "
                "thoại ở cuối trang này. Quý vị có thể yêu cầu có thông dịch viên.",
            ),
        ],
    },
    "ar": {
        "title": "لقاء مجتمعي مع إدارة الشرطة",
        "description": (
            "تعرّفوا على رئيس الشرطة المؤقت وعلى الضباط الذين يعملون في حيّكم. اسألوا عن "
            "السلامة، وعن طريقة الإبلاغ عن جريمة، وعن حقوقكم. الحضور مجاني، ولن يطلب منكم أحد "
            "بطاقة هوية ولن يسألكم عن وضع الهجرة. الأطفال مرحّب بهم."
        ),
        "host": "رئيس الشرطة المؤقت",
        "notes": [
            "الدخول من الباب الجانبي المطلّ على موقف السيارات.",
            "في الكافتيريا؛ المدخل الرئيسي من شارع S Hampton Rd.",
            "القاعة B، الطابق الأرضي.",
            "قاعة الاجتماعات بجوار قسم الأطفال.",
            "قاعة الرعية خلف الكنيسة.",
        ],
        "statements": [
            (
                "هل سيسألني الضباط في اللقاء عن وضعي في الهجرة؟",
                "لا. في هذه اللقاءات المجتمعية لا يسأل الضباط أحدًا عن وضعه في الهجرة ولا "
                "يطّلعون على أي أوراق. تفضّلوا بالحضور، واستمعوا، واسألوا عمّا تريدون معرفته.",
            ),
            (
                "هل عليّ أن أذكر اسمي؟",
                "لا. يمكنكم الحضور وطرح الأسئلة دون أن تذكروا من أنتم.",
            ),
            (
                "هل يمكنني الإبلاغ عن جريمة دون الذهاب إلى مركز الشرطة؟",
                "نعم. يمكنكم إخبار أحد الضباط في اللقاء، أو الاتصال بالرقم الموجود أسفل هذه "
                "الصفحة. ويمكنكم طلب مترجم فوري.",
            ),
        ],
    },
}
