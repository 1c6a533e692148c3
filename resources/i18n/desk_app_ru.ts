<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="ru_RU">
<context>
    <name>Background</name>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="43" />
        <source>Фоновая операция не удалась. Подробности в журнале.</source>
        <translation>Фоновая операция не удалась. Подробности в журнале.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="47" />
        <source>Программа занята: действие не выполнено, повторите.</source>
        <translation>Программа занята: действие не выполнено, повторите.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="53" />
        <source>Фоновый поток остановлен из-за ошибки. Сообщите администратору.</source>
        <translation>Фоновый поток остановлен из-за ошибки. Сообщите администратору.</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../../desk_app/ui/camera_view.py" line="25" />
        <source>Камера: ожидание изображения…</source>
        <translation>Камера: ожидание изображения…</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <location filename="../../desk_app/ui/app.py" line="81" />
        <source>Ошибка программы</source>
        <translation>Ошибка программы</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/app.py" line="86" />
        <source>В программе произошла ошибка. Работа продолжается; если окно ведёт себя странно — перезапустите программу. Подробности записаны в журнал для администратора.</source>
        <translation>В программе произошла ошибка. Работа продолжается; если окно ведёт себя странно — перезапустите программу. Подробности записаны в журнал для администратора.</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="25" />
        <source>Проверяем полис…</source>
        <translation>Проверяем полис…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="81" />
        <source>Повторный приём записан с причиной.</source>
        <translation>Повторный приём записан с причиной.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="83" />
        <source>Приём записан.</source>
        <translation>Приём записан.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="100" />
        <source>Не записано: %1.</source>
        <translation>Не записано: %1.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="108" />
        <source>Приём не записан</source>
        <translation>Приём не записан</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="109" />
        <source>Приём не записан: </source>
        <translation>Приём не записан: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="26" />
        <source>Читаем файл…</source>
        <translation>Читаем файл…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="27" />
        <source>Запрашиваем регистр…</source>
        <translation>Запрашиваем регистр…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="27" />
        <source>Сначала отсканируйте действительный полис.</source>
        <translation>Сначала отсканируйте действительный полис.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="28" />
        <source>По отклонённому полису приём не записывается.</source>
        <translation>По отклонённому полису приём не записывается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="29" />
        <source>Выберите услугу из списка.</source>
        <translation>Выберите услугу из списка.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="30" />
        <source>Укажите врача.</source>
        <translation>Укажите врача.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="31" />
        <source>Проверка неполная: напишите, почему пациент принимается.</source>
        <translation>Проверка неполная: напишите, почему пациент принимается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="32" />
        <source>Укажите причину (не короче 3 знаков).</source>
        <translation>Укажите причину (не короче 3 знаков).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="35" />
        <source>Неверный PIN: действие доступно только старшему или администратору.</source>
        <translation>Неверный PIN: действие доступно только старшему или администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="36" />
        <source>Недостаточно прав: нужен старший или администратор.</source>
        <translation>Недостаточно прав: нужен старший или администратор.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="37" />
        <source>Услуга уже записана сегодня.</source>
        <translation>Услуга уже записана сегодня.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="38" />
        <source>Запись уже идёт — подождите.</source>
        <translation>Запись уже идёт — подождите.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="39" />
        <source>Приём уже отменён.</source>
        <translation>Приём уже отменён.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="44" />
        <location filename="../../desk_app/ui/wording.py" line="48" />
        <source>QR-код не найден — отсканируйте ещё раз</source>
        <translation>QR-код не найден — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="45" />
        <source>В файле не найден QR-код полиса, или файл не читается.</source>
        <translation>В файле не найден QR-код полиса, или файл не читается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="53" />
        <source>Файл читается слишком долго: за отведённое время QR-код не найден. Откройте отдельно страницу или снимок с QR-кодом полиса.</source>
        <translation>Файл читается слишком долго: за отведённое время QR-код не найден. Откройте отдельно страницу или снимок с QR-кодом полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="56" />
        <source>Не удалось проверить полис — отсканируйте ещё раз</source>
        <translation>Не удалось проверить полис — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="57" />
        <source>Внутренняя ошибка проверки. Если повторится — сообщите администратору.</source>
        <translation>Внутренняя ошибка проверки. Если повторится — сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="60" />
        <source>Скан пропущен — отсканируйте ещё раз</source>
        <translation>Скан пропущен — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="61" />
        <source>Слишком много сканов подряд: этот скан не проверялся.</source>
        <translation>Слишком много сканов подряд: этот скан не проверялся.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="64" />
        <source>Код считан не полностью — отсканируйте ещё раз</source>
        <translation>Код считан не полностью — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="65" />
        <source>Сканер передал код не целиком. Поднесите полис ещё раз.</source>
        <translation>Сканер передал код не целиком. Поднесите полис ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="68" />
        <source>Этот QR-код не читается клавиатурным сканером</source>
        <translation>Этот QR-код не читается клавиатурным сканером</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="73" />
        <source>В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).</source>
        <translation>В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="76" />
        <source>Это не QR-код полиса — отсканируйте полис</source>
        <translation>Это не QR-код полиса — отсканируйте полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="77" />
        <source>Отсканирован код, который не является QR-кодом электронного полиса ОМС.</source>
        <translation>Отсканирован код, который не является QR-кодом электронного полиса ОМС.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="80" />
        <source>Проверка подписей недоступна</source>
        <translation>Проверка подписей недоступна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="83" />
        <source>Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору.</source>
        <translation>Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="100" />
        <source>Файл «%1».</source>
        <translation>Файл «%1».</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="110" />
        <source>Первая запись: %1 в %2, стойка «%3», врач %4.</source>
        <translation>Первая запись: %1 в %2, стойка «%3», врач %4.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="120" />
        <source>Повторный приём записан с причиной</source>
        <translation>Повторный приём записан с причиной</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="122" />
        <source>Приём записан</source>
        <translation>Приём записан</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="125" />
        <source>Услуга %1, врач %2.</source>
        <translation>Услуга %1, врач %2.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="139" />
        <source>Врач</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="140" />
        <source>Имя стойки</source>
        <translation>Имя стойки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="141" />
        <source>Причина</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="142" />
        <source>Причина повторной записи</source>
        <translation>Причина повторной записи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="143" />
        <source>Причина отмены</source>
        <translation>Причина отмены</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="146" />
        <source>%1: служебный символ %2 — наберите обычный текст.</source>
        <translation>%1: служебный символ %2 — наберите обычный текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="147" />
        <source>%1: невидимый символ %2 — наберите обычный текст.</source>
        <translation>%1: невидимый символ %2 — наберите обычный текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="148" />
        <source>%1: слишком длинный текст (не больше 500 знаков).</source>
        <translation>%1: слишком длинный текст (не больше 500 знаков).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="149" />
        <source>%1: не заполнено.</source>
        <translation>%1: не заполнено.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="155" />
        <source>Текст</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="156" />
        <source>%1: недопустимый текст.</source>
        <translation>%1: недопустимый текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="171" />
        <source>часовой пояс этой стойки (%1) не совпадает с часовым поясом клиники (%2) в базе приёмов: приёмы не записываются. Сообщите администратору.</source>
        <translation>часовой пояс этой стойки (%1) не совпадает с часовым поясом клиники (%2) в базе приёмов: приёмы не записываются. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="176" />
        <source>запрос не принят: проверьте врача и причину.</source>
        <translation>запрос не принят: проверьте врача и причину.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="178" />
        <source>база недоступна. Сообщите администратору.</source>
        <translation>база недоступна. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="179" />
        <source>внутренняя ошибка. Сообщите администратору.</source>
        <translation>внутренняя ошибка. Сообщите администратору.</translation>
    </message>
</context>
<context>
    <name>DeskStatus</name>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="46" />
        <source>%1 мин</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="48" />
        <source>%1 ч</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="49" />
        <source>%1 дн</source>
        <translation>%1 дн</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="56" />
        <source>клавиатурный</source>
        <translation>клавиатурный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="60" />
        <source>%1 остановлен из-за ошибки</source>
        <translation>%1 остановлен из-за ошибки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="63" />
        <source>%1 подключён</source>
        <translation>%1 подключён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="66" />
        <source>%1 не подключён</source>
        <translation>%1 не подключён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="70" />
        <source>Сканер: выключен</source>
        <translation>Сканер: выключен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="71" />
        <source>Сканер: %1</source>
        <translation>Сканер: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="76" />
        <source>Камера: подключение…</source>
        <translation>Камера: подключение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="77" />
        <source>Камера: работает</source>
        <translation>Камера: работает</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="78" />
        <source>Камера: нет изображения — переподключение…</source>
        <translation>Камера: нет изображения — переподключение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="79" />
        <source>Камера: видео закончилось</source>
        <translation>Камера: видео закончилось</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="80" />
        <source>Камера: выключена</source>
        <translation>Камера: выключена</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="81" />
        <source>Камера: остановлена из-за ошибки — перезапустите программу</source>
        <translation>Камера: остановлена из-за ошибки — перезапустите программу</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="87" />
        <source>Камера: нет</source>
        <translation>Камера: нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="89" />
        <source>Камера: недоступна</source>
        <translation>Камера: недоступна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="98" />
        <source>Регистр: обновление копии остановлено из-за ошибки</source>
        <translation>Регистр: обновление копии остановлено из-за ошибки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="100" />
        <source>, копия %1 назад</source>
        <translation>, копия %1 назад</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="103" />
        <source>, копии нет</source>
        <translation>, копии нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="105" />
        <source>Регистр: автономно</source>
        <translation>Регистр: автономно</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="107" />
        <source>Регистр: не настроен</source>
        <translation>Регистр: не настроен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="109" />
        <source>Регистр: на связи</source>
        <translation>Регистр: на связи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="111" />
        <source>Регистр: нет связи</source>
        <translation>Регистр: нет связи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="113" />
        <source>Регистр: %1</source>
        <translation>Регистр: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="119" />
        <source>Сертификаты: ошибка</source>
        <translation>Сертификаты: ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="121" />
        <source>Сертификаты: загружаются…</source>
        <translation>Сертификаты: загружаются…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="124" />
        <source>Сертификаты: список пуст</source>
        <translation>Сертификаты: список пуст</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="125" />
        <source>Сертификаты: %1 назад</source>
        <translation>Сертификаты: %1 назад</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="130" />
        <source>, СОС нет</source>
        <translation>, СОС нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="132" />
        <source>, СОС устарел</source>
        <translation>, СОС устарел</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="134" />
        <source>, СОС до %1</source>
        <translation>, СОС до %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="140" />
        <source>База: %1 — ошибка</source>
        <translation>База: %1 — ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="141" />
        <source>База: %1</source>
        <translation>База: %1</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="26" />
        <source>Сверка с паспортом (для врача)</source>
        <translation>Сверка с паспортом (для врача)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="30" />
        <source>серия и номер, например 4510 123456</source>
        <translation>серия и номер, например 4510 123456</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="33" />
        <source>Сверить</source>
        <translation>Сверить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="56" />
        <source>Сначала отсканируйте полис.</source>
        <translation>Сначала отсканируйте полис.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="66" />
        <source>Серия и номер паспорта — 10 цифр (4 + 6).</source>
        <translation>Серия и номер паспорта — 10 цифр (4 + 6).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="70" />
        <source>Паспорт СОВПАДАЕТ с полисом</source>
        <translation>Паспорт СОВПАДАЕТ с полисом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="71" />
        <source>Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность</source>
        <translation>Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="72" />
        <source>Сверка невозможна: в полисе нет данных паспорта</source>
        <translation>Сверка невозможна: в полисе нет данных паспорта</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="74" />
        <source>Сверка невозможна</source>
        <translation>Сверка невозможна</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="80" />
        <source>Проверка полиса ОМС — регистратура</source>
        <translation>Проверка полиса ОМС — регистратура</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="33" />
        <source>ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов.</source>
        <translation>ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="43" />
        <source>ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему. Сообщите администратору!</source>
        <translation>ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему. Сообщите администратору!</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="75" />
        <source>&amp;Полис</source>
        <translation>&amp;Полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="77" />
        <source>Открыть файл с QR-кодом…</source>
        <translation>Открыть файл с QR-кодом…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="80" />
        <source>Ввести номер вручную…</source>
        <translation>Ввести номер вручную…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="82" />
        <source>Очистить экран (следующий пациент)</source>
        <translation>Очистить экран (следующий пациент)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="85" />
        <source>Записать приём</source>
        <translation>Записать приём</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="89" />
        <source>Выход</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="90" />
        <source>&amp;Сервис</source>
        <translation>&amp;Сервис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="92" />
        <source>Настройки (администратор)…</source>
        <translation>Настройки (администратор)…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="94" />
        <source>Обновить состояние</source>
        <translation>Обновить состояние</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="96" />
        <source>Показать камеру</source>
        <translation>Показать камеру</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="100" />
        <source>&amp;Демо-сканирование</source>
        <translation>&amp;Демо-сканирование</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="66" />
        <source>База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору.</source>
        <translation>База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/scan_intake.py" line="52" />
        <source>Предыдущая проверка ещё идёт — скан поставлен в очередь.</source>
        <translation>Предыдущая проверка ещё идёт — скан поставлен в очередь.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="191" />
        <source>Файл с QR-кодом полиса</source>
        <translation>Файл с QR-кодом полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="192" />
        <source>Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)</source>
        <translation>Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="95" />
        <location filename="../../desk_app/ui/visit_actions.py" line="156" />
        <location filename="../../desk_app/ui/visit_actions.py" line="171" />
        <source>Ошибка базы приёмов: </source>
        <translation>Ошибка базы приёмов: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="107" />
        <source>Повторная запись услуги</source>
        <translation>Повторная запись услуги</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="110" />
        <source>Услуга уже записана сегодня. Повторная запись — только старшим, с причиной.</source>
        <translation>Услуга уже записана сегодня. Повторная запись — только старшим, с причиной.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="117" />
        <source>Отмена приёма</source>
        <translation>Отмена приёма</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="120" />
        <source>Отменить приём можно только старшему, с причиной. Запись останется в журнале.</source>
        <translation>Отменить приём можно только старшему, с причиной. Запись останется в журнале.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="150" />
        <source>Приём отменён.</source>
        <translation>Приём отменён.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="144" />
        <source>Приём не отменён: </source>
        <translation>Приём не отменён: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_flow.py" line="26" />
        <source>Вход в настройки</source>
        <translation>Вход в настройки</translation>
    </message>
</context>
<context>
    <name>ManualEntryDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="33" />
        <source>Ручной ввод полиса</source>
        <translation>Ручной ввод полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="50" />
        <source>Без QR-кода подпись не проверяется: полис будет проверен только по регистру.</source>
        <translation>Без QR-кода подпись не проверяется: полис будет проверен только по регистру.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="54" />
        <source>Номер полиса (16 цифр):</source>
        <translation>Номер полиса (16 цифр):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="55" />
        <source>Дата рождения:</source>
        <translation>Дата рождения:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="57" />
        <source>Проверить</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="79" />
        <source>Введите 16 цифр номера полиса.</source>
        <translation>Введите 16 цифр номера полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="81" />
        <source>Введено цифр: %1 из 16.</source>
        <translation>Введено цифр: %1 из 16.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="83" />
        <source>Ошибка в номере: не сходится контрольная цифра. Проверьте номер.</source>
        <translation>Ошибка в номере: не сходится контрольная цифра. Проверьте номер.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="85" />
        <source>Номер введён верно.</source>
        <translation>Номер введён верно.</translation>
    </message>
</context>
<context>
    <name>NewPinDialog</name>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="300" />
        <source>Задайте PIN администратора</source>
        <translation>Задайте PIN администратора</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="314" />
        <source>PIN ещё не задан. Он понадобится для настроек, отмены и повторной записи приёмов.</source>
        <translation>PIN ещё не задан. Он понадобится для настроек, отмены и повторной записи приёмов.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="317" />
        <source>Новый PIN (4–12 цифр):</source>
        <translation>Новый PIN (4–12 цифр):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="318" />
        <source>Ещё раз:</source>
        <translation>Ещё раз:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="324" />
        <source>PIN — от 4 до 12 цифр.</source>
        <translation>PIN — от 4 до 12 цифр.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="326" />
        <source>PIN не совпадает.</source>
        <translation>PIN не совпадает.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="108" />
        <source>PIN администратора:</source>
        <translation>PIN администратора:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="116" />
        <source>Неверный PIN.</source>
        <translation>Неверный PIN.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="152" />
        <source>Причина:</source>
        <translation>Причина:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="153" />
        <source>PIN старшего / администратора:</source>
        <translation>PIN старшего / администратора:</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="136" />
        <source>Запись приёма</source>
        <translation>Запись приёма</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="140" />
        <source>Врач (ФИО)</source>
        <translation>Врач (ФИО)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="145" />
        <source>Проверка неполная: почему принимаете (например, «паспорт проверен»)</source>
        <translation>Проверка неполная: почему принимаете (например, «паспорт проверен»)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="146" />
        <source>Записать приём  (Ctrl+Enter)</source>
        <translation>Записать приём  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="158" />
        <source>Записать повторно (старший, с причиной)…</source>
        <translation>Записать повторно (старший, с причиной)…</translation>
    </message>
</context>
<context>
    <name>ServicePicker</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="55" />
        <source>Поиск услуги: код или часть названия</source>
        <translation>Поиск услуги: код или часть названия</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="41" />
        <source>Имя стойки</source>
        <translation>Имя стойки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="42" />
        <source>укажите имя стойки (например, desk-1)</source>
        <translation>укажите имя стойки (например, desk-1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="46" />
        <source>Адрес регистра</source>
        <translation>Адрес регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="47" />
        <location filename="../../desk_app/ui/settings_dialog.py" line="53" />
        <source>нужен адрес https://… (http — только для 127.0.0.1)</source>
        <translation>нужен адрес https://… (http — только для 127.0.0.1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="49" />
        <source>Ключ доступа к регистру</source>
        <translation>Ключ доступа к регистру</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="52" />
        <source>Адрес списка сертификатов Казначейства</source>
        <translation>Адрес списка сертификатов Казначейства</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="57" />
        <source>Файл корневого сертификата</source>
        <translation>Файл корневого сертификата</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="58" />
        <source>укажите путь к файлу .pem</source>
        <translation>укажите путь к файлу .pem</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="62" />
        <source>База приёмов</source>
        <translation>База приёмов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="63" />
        <source>путь к файлу SQLite, sqlite:///ПУТЬ или postgresql://…</source>
        <translation>путь к файлу SQLite, sqlite:///ПУТЬ или postgresql://…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="65" />
        <source>Клавиатурный сканер</source>
        <translation>Клавиатурный сканер</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="66" />
        <source>Префикс сканера</source>
        <translation>Префикс сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="67" />
        <source>Суффикс сканера</source>
        <translation>Суффикс сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="70" />
        <source>Окончание скана</source>
        <translation>Окончание скана</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="71" />
        <source>enter или tab</source>
        <translation>enter или tab</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="73" />
        <source>COM-порт сканера</source>
        <translation>COM-порт сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="76" />
        <source>Скорость COM-порта</source>
        <translation>Скорость COM-порта</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="77" />
        <source>число больше нуля</source>
        <translation>число больше нуля</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="81" />
        <source>Окончание скана на COM-порту</source>
        <translation>Окончание скана на COM-порту</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="82" />
        <source>cr, lf, crlf или tab</source>
        <translation>cr, lf, crlf или tab</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="84" />
        <source>Камера (номер или адрес)</source>
        <translation>Камера (номер или адрес)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="85" />
        <source>Звуки</source>
        <translation>Звуки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="104" />
        <source>Настройки стойки (администратор)</source>
        <translation>Настройки стойки (администратор)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="116" />
        <source>Задано администратором для всего компьютера — здесь не меняется</source>
        <translation>Задано администратором для всего компьютера — здесь не меняется</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="118" />
        <source> (заблокировано)</source>
        <translation> (заблокировано)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="123" />
        <source>оставьте пустым, чтобы не менять</source>
        <translation>оставьте пустым, чтобы не менять</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="124" />
        <source>Новый PIN администратора:</source>
        <translation>Новый PIN администратора:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="131" />
        <source>Файл настроек: %1</source>
        <translation>Файл настроек: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="139" />
        <source>Диагностика</source>
        <translation>Диагностика</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="142" />
        <source>Проверить настройки, сертификаты, регистр, базу, сканеры и диск</source>
        <translation>Проверить настройки, сертификаты, регистр, базу, сканеры и диск</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="216" />
        <source>Идёт проверка…</source>
        <translation>Идёт проверка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="224" />
        <source>Диагностика не выполнена: %1</source>
        <translation>Диагностика не выполнена: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="228" />
        <source>Программа занята — нажмите «Диагностика» ещё раз.</source>
        <translation>Программа занята — нажмите «Диагностика» ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="244" />
        <source>Не удалось сохранить файл настроек: %1</source>
        <translation>Не удалось сохранить файл настроек: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="248" />
        <source>Программа занята — нажмите «Сохранить» ещё раз.</source>
        <translation>Программа занята — нажмите «Сохранить» ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="285" />
        <source>Поле «Новый PIN администратора»: нужно от 4 до 12 цифр.</source>
        <translation>Поле «Новый PIN администратора»: нужно от 4 до 12 цифр.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="291" />
        <source>недопустимое значение</source>
        <translation>недопустимое значение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="292" />
        <source>Поле «%1»: %2.</source>
        <translation>Поле «%1»: %2.</translation>
    </message>
</context>
<context>
    <name>TodayPanel</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="36" />
        <source>совпал</source>
        <translation>совпал</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="37" />
        <source>НЕ совпал</source>
        <translation>НЕ совпал</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="38" />
        <source>нет данных</source>
        <translation>нет данных</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="39" />
        <source>не сверялся</source>
        <translation>не сверялся</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="205" />
        <source>Время</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="206" />
        <source>Пациент</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="207" />
        <source>Полис</source>
        <translation>Полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="208" />
        <source>Услуга</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="209" />
        <source>Врач</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="210" />
        <source>Паспорт</source>
        <translation>Паспорт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="211" />
        <source>Отметки</source>
        <translation>Отметки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="216" />
        <source>Приёмы сегодня на этой стойке</source>
        <translation>Приёмы сегодня на этой стойке</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="221" />
        <source>Поиск: фамилия, номер полиса, услуга, врач</source>
        <translation>Поиск: фамилия, номер полиса, услуга, врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="223" />
        <source>Отменить приём (старший)…</source>
        <translation>Отменить приём (старший)…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="254" />
        <source>повторно: </source>
        <translation>повторно: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="256" />
        <source>ОТМЕНЁН: </source>
        <translation>ОТМЕНЁН: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="258" />
        <source>с предупреждением</source>
        <translation>с предупреждением</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="27" />
        <source>Подпись Федерального казначейства верна</source>
        <translation>Подпись Федерального казначейства верна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="28" />
        <location filename="../../desk_app/ui/texts.py" line="95" />
        <source>Подпись недействительна — документ изменён</source>
        <translation>Подпись недействительна — документ изменён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="31" />
        <source>Подпись сделана сертификатом, которому нет доверия (не Казначейство)</source>
        <translation>Подпись сделана сертификатом, которому нет доверия (не Казначейство)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="32" />
        <source>Сертификат подписи отозван Казначейством</source>
        <translation>Сертификат подписи отозван Казначейством</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="35" />
        <source>Сертификат подписи не действовал в момент выдачи полиса</source>
        <translation>Сертификат подписи не действовал в момент выдачи полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="36" />
        <source>Подпись сделана неподдерживаемым алгоритмом</source>
        <translation>Подпись сделана неподдерживаемым алгоритмом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="37" />
        <source>QR-код не является электронным полисом ОМС или повреждён</source>
        <translation>QR-код не является электронным полисом ОМС или повреждён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="38" />
        <source>Номер введён вручную — подпись не проверялась</source>
        <translation>Номер введён вручную — подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="43" />
        <source>Полис действует по данным регистра</source>
        <translation>Полис действует по данным регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="44" />
        <location filename="../../desk_app/ui/texts.py" line="83" />
        <source>Регистр: срок действия полиса истёк</source>
        <translation>Регистр: срок действия полиса истёк</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="45" />
        <location filename="../../desk_app/ui/texts.py" line="84" />
        <source>Регистр: действие полиса приостановлено</source>
        <translation>Регистр: действие полиса приостановлено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="46" />
        <location filename="../../desk_app/ui/texts.py" line="85" />
        <source>Регистр: полис с таким номером не найден</source>
        <translation>Регистр: полис с таким номером не найден</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="47" />
        <source>Статус полиса в регистре не известен</source>
        <translation>Статус полиса в регистре не известен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="51" />
        <source>регистр (на связи)</source>
        <translation>регистр (на связи)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="52" />
        <source>локальная копия регистра</source>
        <translation>локальная копия регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="53" />
        <source>нет данных регистра</source>
        <translation>нет данных регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="60" />
        <source>Список отозванных сертификатов устарел — отзыв подписи мог быть не учтён</source>
        <translation>Список отозванных сертификатов устарел — отзыв подписи мог быть не учтён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="61" />
        <source>Нет списка отозванных сертификатов — отзыв подписи не проверен</source>
        <translation>Нет списка отозванных сертификатов — отзыв подписи не проверен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="62" />
        <source>Локальная копия регистра старше суток</source>
        <translation>Локальная копия регистра старше суток</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="63" />
        <location filename="../../desk_app/ui/texts.py" line="167" />
        <source>Нет связи с регистром</source>
        <translation>Нет связи с регистром</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="64" />
        <source>Регистр не ответил вовремя</source>
        <translation>Регистр не ответил вовремя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="65" />
        <source>Регистр сообщил о своей ошибке</source>
        <translation>Регистр сообщил о своей ошибке</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="66" />
        <source>Регистр временно ограничил число запросов</source>
        <translation>Регистр временно ограничил число запросов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="69" />
        <source>Регистр отклонил ключ доступа клиники — сообщите администратору</source>
        <translation>Регистр отклонил ключ доступа клиники — сообщите администратору</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="70" />
        <source>Регистр прислал непонятный ответ</source>
        <translation>Регистр прислал непонятный ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="71" />
        <source>Адрес регистра не настроен</source>
        <translation>Адрес регистра не настроен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="74" />
        <source>Регистр недавно не отвечал — запрос пропущен, используется локальная копия</source>
        <translation>Регистр недавно не отвечал — запрос пропущен, используется локальная копия</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="75" />
        <source>Включён автономный режим — регистр не опрашивается</source>
        <translation>Включён автономный режим — регистр не опрашивается</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="76" />
        <source>Статус полиса проверить не удалось</source>
        <translation>Статус полиса проверить не удалось</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="77" />
        <source>Полис ещё не вступил в действие</source>
        <translation>Полис ещё не вступил в действие</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="78" />
        <source>Срок действия полиса закончился</source>
        <translation>Срок действия полиса закончился</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="79" />
        <source>Часы компьютера расходятся с часами регистра больше чем на 2 часа</source>
        <translation>Часы компьютера расходятся с часами регистра больше чем на 2 часа</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="82" />
        <source>Дата рождения не совпадает с данными регистра — возможно, чужой полис</source>
        <translation>Дата рождения не совпадает с данными регистра — возможно, чужой полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="86" />
        <source>Номер введён вручную: проверен только по регистру, без подписи</source>
        <translation>Номер введён вручную: проверен только по регистру, без подписи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="90" />
        <source>постоянный</source>
        <translation>постоянный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="91" />
        <source>временный</source>
        <translation>временный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="96" />
        <source>Подпись не Казначейства — полис не принят</source>
        <translation>Подпись не Казначейства — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="97" />
        <source>Сертификат подписи отозван — полис не принят</source>
        <translation>Сертификат подписи отозван — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="100" />
        <source>Сертификат подписи не действовал при выдаче — полис не принят</source>
        <translation>Сертификат подписи не действовал при выдаче — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="101" />
        <source>Неподдерживаемый алгоритм подписи — полис не принят</source>
        <translation>Неподдерживаемый алгоритм подписи — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="102" />
        <source>Это не электронный полис ОМС или QR-код повреждён</source>
        <translation>Это не электронный полис ОМС или QR-код повреждён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="134" />
        <source>Другая причина: %1</source>
        <translation>Другая причина: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="146" />
        <source>Дата рождения не совпадает с регистром — полис не принят</source>
        <translation>Дата рождения не совпадает с регистром — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="148" />
        <source>Срок действия истёк %1</source>
        <translation>Срок действия истёк %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="152" />
        <source>Срок действия полиса истёк</source>
        <translation>Срок действия полиса истёк</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="153" />
        <source>Полис ещё не действует — начало %1</source>
        <translation>Полис ещё не действует — начало %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="158" />
        <source>Действие полиса приостановлено</source>
        <translation>Действие полиса приостановлено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="160" />
        <source>Полис не найден в регистре</source>
        <translation>Полис не найден в регистре</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="161" />
        <source>Полис не принят</source>
        <translation>Полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="165" />
        <source>Автономный режим</source>
        <translation>Автономный режим</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="170" />
        <source>%1 — статус по данным от %2</source>
        <translation>%1 — статус по данным от %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="175" />
        <source>Нет связи с регистром — статус не проверен</source>
        <translation>Нет связи с регистром — статус не проверен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="177" />
        <source>Статус полиса не проверен — решите вручную</source>
        <translation>Статус полиса не проверен — решите вручную</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="179" />
        <source>Список отзыва сертификатов устарел — решите вручную</source>
        <translation>Список отзыва сертификатов устарел — решите вручную</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="181" />
        <source>Часы компьютера неверны — проверьте дату и время</source>
        <translation>Часы компьютера неверны — проверьте дату и время</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="182" />
        <source>Нужно решение сотрудника</source>
        <translation>Нужно решение сотрудника</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="184" />
        <source>Полис действителен (номер введён вручную)</source>
        <translation>Полис действителен (номер введён вручную)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="187" />
        <source>Полис действителен</source>
        <translation>Полис действителен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="189" />
        <source>Можно принимать пациента</source>
        <translation>Можно принимать пациента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="190" />
        <source>Проверить не удалось полностью — решение за сотрудником</source>
        <translation>Проверить не удалось полностью — решение за сотрудником</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="191" />
        <source>Не принимать по этому полису</source>
        <translation>Не принимать по этому полису</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="201" />
        <source>ФИО не указано</source>
        <translation>ФИО не указано</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="210" />
        <source>с %1, бессрочно</source>
        <translation>с %1, бессрочно</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="213" />
        <source>с %1 по %2</source>
        <translation>с %1 по %2</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="83" />
        <source>Дата рождения</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="84" />
        <source>Номер полиса</source>
        <translation>Номер полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="85" />
        <source>Страховая компания</source>
        <translation>Страховая компания</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="86" />
        <source>Срок действия</source>
        <translation>Срок действия</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="87" />
        <source>Вид полиса, регион</source>
        <translation>Вид полиса, регион</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="88" />
        <source>Статус</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="107" />
        <source>Причины и проверки:</source>
        <translation>Причины и проверки:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="169" />
        <source>Готово к сканированию</source>
        <translation>Готово к сканированию</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="172" />
        <source>Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, файл — Ctrl+O.</source>
        <translation>Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, файл — Ctrl+O.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="180" />
        <source>Подождите, идёт проверка…</source>
        <translation>Подождите, идёт проверка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="203" />
        <source>ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась</source>
        <translation>ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="211" />
        <source>(код %1)</source>
        <translation>(код %1)</translation>
    </message>
</context>
</TS>
